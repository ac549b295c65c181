"""Where skillmap keeps its files: ``$SKILLMAP_HOME`` (what users import) and the cache of what it derives."""

from __future__ import annotations

import os
from pathlib import Path

from skillmap.errors import SkillmapError

__all__ = ["CACHE_ENV", "HOME_ENV", "cache_dir", "skillmap_home"]

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
    if home.exists() and not home.is_dir():
        raise SkillmapError(f"the skillmap data folder {home} is a file, not a folder; set {HOME_ENV} to a folder")
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


CACHE_ENV = "SKILLMAP_CACHE"


def cache_dir() -> Path:
    """Folder for things skillmap derives and can always rebuild (the sample's index and matrix, the unpacked
    semantic model): ``$SKILLMAP_CACHE`` if set, else ``$SKILLMAP_HOME/cache``."""
    configured = os.environ.get(CACHE_ENV)
    return Path(configured).expanduser() if configured else skillmap_home() / "cache"
