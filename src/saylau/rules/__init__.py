"""Electoral rules as configuration: an `ElectoralSystem`, its tiers, and named presets.

Nothing here is Kazakhstan-specific code: the Kazakh rules are one preset among others, and a folder may
override any field of a preset.
"""

from saylau.rules.presets import KAZAKHSTAN_2023_DAY, PRESETS, ContestShape, resolve_system, validation_problems
from saylau.rules.system import (
    DISTRICT_TIE_RULES,
    AgainstAllRule,
    ApportionBy,
    CandidateTie,
    Combination,
    DistrictRounds,
    DistrictTier,
    ElectoralSystem,
    Exhausted,
    FragmentVotes,
    ListTier,
    MajorityBase,
    OpenList,
    Overhang,
    PreferenceBase,
    PreferenceRest,
    Scope,
    SeatHolders,
    STVQuota,
    STVRules,
    SurplusTransfer,
)

__all__ = [
    "DISTRICT_TIE_RULES",
    "KAZAKHSTAN_2023_DAY",
    "PRESETS",
    "AgainstAllRule",
    "ApportionBy",
    "CandidateTie",
    "Combination",
    "ContestShape",
    "DistrictRounds",
    "DistrictTier",
    "ElectoralSystem",
    "Exhausted",
    "FragmentVotes",
    "ListTier",
    "MajorityBase",
    "OpenList",
    "Overhang",
    "PreferenceBase",
    "PreferenceRest",
    "STVQuota",
    "STVRules",
    "Scope",
    "SeatHolders",
    "SurplusTransfer",
    "resolve_system",
    "validation_problems",
]
