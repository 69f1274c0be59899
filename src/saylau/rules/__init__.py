"""Electoral rules as configuration: an `ElectoralSystem`, its tiers, and named presets.

Nothing here is Kazakhstan-specific code: the Kazakh rules are one preset among others, and a folder may
override any field of a preset.
"""

from saylau.rules.presets import KAZAKHSTAN_2023_DAY, PRESETS, ContestShape, resolve_system, validation_problems
from saylau.rules.system import (
    AgainstAllRule,
    ApportionBy,
    Combination,
    DistrictRounds,
    DistrictTier,
    DistrictTieRule,
    ElectoralSystem,
    FragmentVotes,
    ListTier,
    MajorityBase,
    Overhang,
    Scope,
    SeatHolders,
)

__all__ = [
    "KAZAKHSTAN_2023_DAY",
    "PRESETS",
    "AgainstAllRule",
    "ApportionBy",
    "Combination",
    "ContestShape",
    "DistrictRounds",
    "DistrictTieRule",
    "DistrictTier",
    "ElectoralSystem",
    "FragmentVotes",
    "ListTier",
    "MajorityBase",
    "Overhang",
    "Scope",
    "SeatHolders",
    "resolve_system",
    "validation_problems",
]
