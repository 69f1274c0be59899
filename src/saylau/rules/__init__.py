"""Electoral rules as configuration: an `ElectoralSystem`, its tiers, and named presets.

Nothing here is Kazakhstan-specific code: the Kazakh rules are one preset among others, and a folder may
override any field of a preset.
"""

from saylau.rules.presets import PRESETS, resolve_system, validation_problems
from saylau.rules.system import (
    AgainstAllRule,
    Combination,
    DistrictTier,
    DistrictTieRule,
    ElectoralSystem,
    ListTier,
    SeatHolders,
)

__all__ = [
    "PRESETS",
    "AgainstAllRule",
    "Combination",
    "DistrictTieRule",
    "DistrictTier",
    "ElectoralSystem",
    "ListTier",
    "SeatHolders",
    "resolve_system",
    "validation_problems",
]
