"""skillmap: map qualifications between national frameworks, the EQF and ESCO.

The public library surface is small on purpose; everything else is internal and may change.
"""

from skillmap.errors import SkillmapError
from skillmap.model import (
    Alignment,
    Classification,
    Concept,
    Framework,
    FrameworkLevel,
    Label,
    LevelResolution,
    Match,
    RegisterRecord,
)

__version__ = "0.1.0"

__all__ = [
    "Alignment",
    "Classification",
    "Concept",
    "Framework",
    "FrameworkLevel",
    "Label",
    "LevelResolution",
    "Match",
    "RegisterRecord",
    "SkillmapError",
    "__version__",
]
