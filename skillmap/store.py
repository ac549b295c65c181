"""Where skillmap keeps what users import: ``$SKILLMAP_HOME`` (default: the platform's user data dir).

Layout (each part is replaced atomically, so a failed import leaves the previous one working)::

    $SKILLMAP_HOME/
      index/CURRENT          name of the live concept-index version folder
      index/<version>/       the imported classification and its match index
      registers.sqlite       imported national registers (see skillmap.lookup)
"""

from __future__ import annotations

import os
from pathlib import Path

from skillmap.errors import SkillmapError

HOME_ENV = "SKILLMAP_HOME"


def skillmap_home(create: bool = False) -> Path:
    """Return the data folder: ``$SKILLMAP_HOME`` if set, else the platform's user data dir.

    With ``create=True`` the folder is created and checked for writing; a clear error names it otherwise.
    """
    configured = os.environ.get(HOME_ENV)
    if configured:
        home = Path(configured).expanduser()
    else:
        from platformdirs import user_data_dir

        home = Path(user_data_dir("skillmap", appauthor=False))
    if create:
        try:
            home.mkdir(parents=True, exist_ok=True)
            probe = home / f".write-test-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise SkillmapError(
                f"cannot write to the skillmap data folder {home} ({exc.strerror or exc}); "
                f"set {HOME_ENV} to a writable folder"
            ) from exc
    return home


def registers_db_path(create: bool = False) -> Path:
    """Return the path of the registers database under ``$SKILLMAP_HOME``."""
    return skillmap_home(create=create) / "registers.sqlite"
