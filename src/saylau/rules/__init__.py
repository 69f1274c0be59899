"""Electoral rules as configuration: an `ElectoralSystem`, its tiers, and named presets.

Nothing here is Kazakhstan-specific code: the Kazakh rules are one preset among others, and a folder may
override any field of a preset.
"""

from saylau.rules.presets import PRESETS, resolve_system, validation_problems
from saylau.rules.system import (
    AgainstAllRule,
    ApportionBy,
    Combination,
    DistrictRounds,
    DistrictTier,
    DistrictTieRule,
    ElectoralSystem,
    Exhausted,
    FragmentVotes,
    ListTier,
    MajorityBase,
    Overhang,
    Scope,
    SeatHolders,
)

__all__ = [
    "PRESETS",
    "AgainstAllRule",
    "ApportionBy",
    "Combination",
    "DistrictRounds",
    "DistrictTieRule",
    "DistrictTier",
    "ElectoralSystem",
    "Exhausted",
    "FragmentVotes",
    "ListTier",
    "MajorityBase",
    "Overhang",
    "Scope",
    "SeatHolders",
    "resolve_system",
    "validation_problems",
]
