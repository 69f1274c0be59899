"""Named presets of electoral systems, and how a folder's overrides apply to them.

Each preset documents where its values come from (see ../shared/spec/kazakhstan-2023.md for sources and
how sure we are); any field can be overridden by an election folder.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from saylau.errors import Count, InputError, Phrase, Problem, phrase_of
from saylau.rules.system import ElectoralSystem

_KZ_LIST_2023: dict[str, Any] = {
    # Constitutional Law "On Elections", as amended 2022-2023: 5% threshold (H); the base is valid ballots
    # including "against all", which reproduces every published percentage (M); Hare quota and largest
    # remainders (H); ties of remainders to the list registered earlier (M); at least two parties (L).
    "method": "hare",
    "threshold_percent": "5",
    "threshold_base": "valid",
    "min_admitted": 2,
    "tie": "registration-order",
    "seat_holders": "list-order",
}

_KZ_REGISTRATION_2023: dict[str, Any] = {
    # Minimum age on election day: 20 for a mäslihat (H, spec "Scope"); the Mäjilis preset sets 25 (M: from
    # issue 13, not in the spec). One candidacy: not on a list and in a district at once (M: issue 13, not in
    # the spec). The 30% quota for women, young people (under 29) and people with disabilities, counted
    # together, on each list and on the seats handed out (M, spec "Party-list seats"). Not in our sources,
    # so off: the registration period (set opens_days_before / closes_days_before from the CEC calendar),
    # list-size limits, and a quota per block of positions (L: set quota.block if the law asks for it).
    "min_age": 20,
    "dual_candidacy": False,
    "quota": {
        "share_percent": "30",
        "groups": ["women", "young", "disability"],
        "young_under": 29,
        "designations": True,
    },
    "ballot_order": "registration-order",
}

PRESETS: Mapping[str, Mapping[str, Any]] = {
    "kazakhstan-2023-maslihat": {
        "description": "Kazakhstan 2023, regional and city mäslihats: half the seats by party list (5%, Hare "
        "and largest remainders), half in single-member districts by plurality, in parallel.",
        "list_tier": {"seats": 0, **_KZ_LIST_2023},
        "district_tier": {"against_all": "repeat-election", "tie": "decide"},
        "combination": "parallel",
        "registration": _KZ_REGISTRATION_2023,
    },
    "kazakhstan-2023-majilis": {
        "description": "Kazakhstan 2023, Mäjilis: 69 seats by national party list (5%, Hare), 29 single-member "
        "districts by plurality, in parallel.",
        "list_tier": {"seats": 69, **_KZ_LIST_2023},
        "district_tier": {"against_all": "repeat-election", "tie": "decide"},
        "combination": "parallel",
        "registration": {**_KZ_REGISTRATION_2023, "min_age": 25},
    },
    "kazakhstan-2023-district-maslihat": {
        "description": "Kazakhstan 2023, district and small-city mäslihats: every seat in a single-member "
        "district by plurality; no party list.",
        "list_tier": None,
        "district_tier": {"against_all": "repeat-election", "tie": "decide"},
        "combination": "parallel",
        "registration": _KZ_REGISTRATION_2023,
    },
    "kazakhstan-2021-maslihat": {
        "description": "Kazakhstan until 2021, mäslihats: all seats by party list, 7% threshold, Hare quota "
        "and largest remainders; no district tier.",
        "list_tier": {"seats": 0, **_KZ_LIST_2023, "threshold_percent": "7"},
        "district_tier": None,
        "combination": "parallel",
        "registration": {"min_age": 20},  # the quota rules of 2023 are not assumed for 2021
    },
    "new-zealand-mmp": {
        "description": "New Zealand MMP (Electoral Act 1993, ss.191-193): party votes shared over 120 seats by "
        "Sainte-Laguë among parties with 5% of the party votes OR one electorate; list seats top each party up; "
        "a party with more electorates than its share keeps them and the House grows (overhang).",
        "list_tier": {
            "seats": 0,
            "method": "sainte-lague",
            "threshold_percent": "5",
            "threshold_base": "party",
            "threshold_districts": 1,
            "min_admitted": 0,
            "tie": "decide",
        },
        "district_tier": {"against_all": "leading-candidate", "tie": "decide"},
        "combination": "compensatory",
        "overhang": "grow",
    },
    "scotland-ams": {
        "description": "Scottish Parliament additional member system (Scotland Act 1998, ss.1, 6-8): 73 "
        "constituencies by plurality; 8 regions of 7 list seats each by D'Hondt, the divisor counting the "
        "constituencies a party won in the region (list votes / (constituency seats + list seats + 1)); no "
        "threshold.",
        "list_tier": {
            "seats": 0,
            "method": "dhondt",
            "threshold_percent": None,
            "threshold_base": "valid",
            "min_admitted": 0,
            "tie": "decide",
            # s.8(5)-(6): a list member returned (in a constituency, or from the list) leaves the list; a party
            # whose list is used up is disregarded from then on. s.8(3): an individual regional candidate
            # (parties.csv `individual`) is disregarded once returned. s.8(7): parties tied at the highest
            # figure each take a seat; for fewer seats the returning officer draws lots ("decide").
            "exhausted": "recompute",
        },
        "district_tier": {"against_all": "leading-candidate", "tie": "decide"},
        "combination": "additional-member",
    },
    "germany-2025": {
        "description": "German Bundestag from 2025 (Federal Elections Act as amended 2023, with the Federal "
        "Constitutional Court's 2024 ruling): 630 seats shared by Sainte-Laguë among parties with 5% of the "
        "valid second votes OR three constituencies, parties of national minorities exempt (name them in "
        "threshold_exempt); then among each party's Land lists; constituency winners seated only as far as "
        "their party's second votes cover them (no overhang, no leveling).",
        "list_tier": {
            "seats": 0,
            "method": "sainte-lague",
            "threshold_percent": "5",
            "threshold_base": "party",
            "threshold_districts": 3,
            "min_admitted": 0,
            "tie": "decide",
            "exhausted": "vacant",  # Federal Elections Act s.6: seats beyond a Land list's names stay unfilled
        },
        "district_tier": {"against_all": "leading-candidate", "tie": "decide"},
        "combination": "coverage",
    },
    "hungary-2022": {
        "description": "Hungarian National Assembly (Act CCIII of 2011): 106 single-member districts by "
        "plurality; 93 national list seats by D'Hondt on list votes plus fragment votes (losing candidates' "
        "votes and the winners' surplus over the runner-up plus one); 5% for a party list, 10% for a joint list "
        "of two parties, 15% for three or more; a national minority list wins one seat with a quarter of the "
        "quota (preferential quota).",
        "list_tier": {
            "seats": 0,
            "method": "dhondt",
            "threshold_percent": "5",
            "threshold_base": "party",
            "joint_list_thresholds": {2: "10", 3: "15"},
            "preferential_quota": "1/4",
            "min_admitted": 0,
            "tie": "decide",
        },
        "district_tier": {"against_all": "leading-candidate", "tie": "decide"},
        "combination": "parallel",
        "fragment_votes": "losers-and-surplus",
    },
    "lithuania-2020": {
        "description": "Lithuanian Seimas (Law on Elections to the Seimas, arts. 86-88): 71 single-member "
        "districts in two rounds (more than half of the voters who took part; below 40% turnout, the most votes "
        "and at least a fifth of the registered voters; else a run-off of the top two); "
        "70 national list seats by Hare quota and largest remainders among lists with 5% (7% for a joint list) "
        "of the voters who took part; in parallel.",
        "list_tier": {
            "seats": 0,
            "method": "hare",
            "threshold_percent": "5",
            "threshold_base": "cast",
            "joint_list_thresholds": {2: "7"},
            "min_admitted": 0,
            "tie": "decide",
        },
        "district_tier": {
            "against_all": "leading-candidate",
            "tie": "decide",
            "rounds": "two",
            "majority_base": "cast",
            "low_turnout_percent": "40",
            "low_turnout_share": "1/5",
        },
        "combination": "parallel",
    },
    "spain-congress": {
        "description": "Spanish Congress of Deputies (LOREG, arts. 161-163): 350 seats in 52 constituencies, "
        "each province 2 seats plus a share of the rest by population (Hare quota, largest remainders), Ceuta "
        "and Melilla 1 each (give them fixed seats); D'Hondt in each constituency among lists with 3% of its "
        "valid votes, blank votes included.",
        "list_tier": {
            "seats": 0,
            "method": "dhondt",
            "threshold_percent": "3",
            "threshold_base": "valid",
            "threshold_scope": "constituency",
            "blank_in_base": True,
            "apportion_by": "population",
            "apportion_method": "hare",
            "apportion_minimum": 2,
            "min_admitted": 0,
            "tie": "decide",
            "cap_at_list_length": False,
        },
        "district_tier": None,
        "combination": "parallel",
    },
    "netherlands-tweede-kamer": {
        "description": "Dutch House of Representatives (Kieswet, chapter P): 150 seats shared nationally by "
        "D'Hondt among lists with at least one electoral quota (valid votes / 150; P 7: full seats by the quota, "
        "the rest by largest averages, which is D'Hondt); open lists: a candidate with at least a quarter of the "
        "quota in preference votes is elected first, most votes first (P 15), the list's other seats in list "
        "order (P 17), equal preference votes by lot (P 15(2)); a list short of names: its seats go on to the other "
        "lists (P 10).",
        "list_tier": {
            "seats": 0,
            "method": "dhondt",
            "threshold_percent": "2/3",  # one quota of 150: votes x 150 >= valid votes
            "threshold_base": "party",
            "min_admitted": 0,
            "tie": "decide",
            "exhausted": "recompute",
            "open_list": {"base": "quota", "share": "1/4", "rest": "list-order", "tie": "lot"},
        },
        "district_tier": None,
        "combination": "parallel",
    },
    "ireland-dail": {
        "description": "Dáil Éireann (Electoral Act 1992, Part XIX): constituencies of 3 to 5 seats by the single "
        "transferable vote, Droop quota; a surplus passes on from the last parcel that elected the candidate (all "
        "papers at the first count), here as an exact deterministic variant: fractions of every paper of the "
        "parcel where the law draws whole papers at random; a surplus that could neither elect the highest continuing "
        "candidate, save the lowest from exclusion nor bring the lowest past a quarter of the quota is not transferred "
        "(s.121); ties to the earliest count with unequal votes, then lot.",
        "list_tier": None,
        "district_tier": {
            "against_all": "leading-candidate",
            "tie": "decide",
            "stv": {"quota": "droop", "surplus": "last-parcel", "defer_surplus": True},
        },
        "combination": "parallel",
    },
    "scotland-council": {
        "description": "Scottish council elections (Scottish Local Government Elections Order 2011, SSI 2011/399, "
        "Sched. 1 rules 45-52): wards of 3 or 4 councillors by the single transferable vote, Droop quota, every "
        "paper of a surplus passing on at its value x surplus / the candidate's votes (weighted inclusive "
        "Gregory), values calculated to five decimal places, the remainder ignored; ties to the earliest count "
        "with unequal votes, then lot.",
        "list_tier": None,
        "district_tier": {
            "against_all": "leading-candidate",
            "tie": "decide",
            "stv": {"quota": "droop", "surplus": "weighted-inclusive-gregory", "decimals": 5},
        },
        "combination": "parallel",
    },
    "poland-sejm": {
        "description": "Polish Sejm (Electoral Code of 5 January 2011, arts. 196-197, 232): 460 seats in 41 "
        "constituencies (their seats in constituencies.csv), D'Hondt in each among lists with 5% of the valid "
        "votes nationally (8% for a coalition of parties: parties.csv `members`; committees of national "
        "minorities exempt: name them in threshold_exempt); open lists: a list's seats go to its candidates "
        "with the most preference votes (art. 232), equal votes to the one who had more votes than the other in "
        "more polling districts, then by lot (art. 232 s.2).",
        "list_tier": {
            "seats": 0,
            "method": "dhondt",
            "threshold_percent": "5",
            "threshold_base": "party",
            "threshold_scope": "national",
            "joint_list_thresholds": {2: "8"},
            "min_admitted": 0,
            "tie": "decide",
            "open_list": {"base": "votes", "votes": 0, "rest": "preference", "tie": "more-stations"},
        },
        "district_tier": None,
        "combination": "parallel",
    },
}


@dataclass(frozen=True, slots=True)
class ContestShape:
    """The size of one kind of contest of a day, as a preset names it: how an election day's contests look.

    `list_seats` and `district_seats` are fixed where the law fixes them (the Mäjilis); None where each body
    has its own size (a mäslihat: `list_share` of its seats by list, the rest in single-member districts).
    """

    preset: str
    seats: int | None
    list_seats: int | None
    district_seats: int | None
    list_share: Fraction
    """The share of a body's seats filled by party list where the size is not fixed (1/2, or 0: districts only)."""


KAZAKHSTAN_2023_DAY: Mapping[str, ContestShape] = {
    # The Mäjilis: 98 = 69 national list seats (5%, Hare) + 29 single-member districts (H, spec "Scope").
    "majilis": ContestShape("kazakhstan-2023-majilis", 98, 69, 29, Fraction(69, 98)),
    # Regional mäslihats and those of Almaty, Astana and Shymkent: half by list, half in districts (H).
    "regional-maslihat": ContestShape("kazakhstan-2023-maslihat", None, None, None, Fraction(1, 2)),
    # District and small-city mäslihats: every seat in a single-member district (H).
    "district-maslihat": ContestShape("kazakhstan-2023-district-maslihat", None, None, None, Fraction(0)),
}
"""The contests of Kazakhstan's election day of 19 March 2023, by kind (../shared/spec/kazakhstan-2023.md):
each voter had the Mäjilis' two ballots, the regional (or big city's) mäslihat's two and, outside the three
big cities, the district mäslihat's district ballot."""


def _merge(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge overrides into a copy of base; a None override removes a tier."""
    merged = copy.deepcopy(dict(base))
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def resolve_system(
    preset: str | None,
    overrides: Mapping[str, Any],
    *,
    list_seats: int | None,
    has_districts: bool,
    source: str = "election.toml",
) -> ElectoralSystem:
    """Build the electoral system from a preset, the folder's overrides, and the body's shape.

    `list_seats` fills the list tier's size when neither preset nor overrides give one (a mäslihat's
    list tier is the body's seats minus its districts). Problems name the TOML path of the bad field.
    """
    if preset is not None and preset not in PRESETS:
        known = ", ".join(sorted(PRESETS))
        close = difflib.get_close_matches(preset, list(PRESETS), n=1)
        name = repr(preset[:60])
        if close:
            unknown = Phrase("unknown preset {name} (did you mean {close}?)", name=name, close=repr(close[0]))
        else:
            unknown = Phrase("unknown preset {name} (known: {known})", name=name, known=known)
        raise InputError([Problem(unknown, source, field="system.preset")])
    data = _merge(PRESETS[preset] if preset else {}, overrides)
    data["preset"] = preset
    tier = data.get("list_tier")
    if isinstance(tier, dict) and not tier.get("seats") and list_seats:
        tier["seats"] = list_seats
    if not has_districts and preset is not None and "district_tier" not in overrides:
        data["district_tier"] = None
    try:
        return ElectoralSystem.model_validate(data)
    except ValidationError as error:
        raise InputError(validation_problems(error, ElectoralSystem, source, "system")) from None
    except RecursionError:
        raise InputError([Problem(Phrase("is nested too deep"), source, field="system.overrides")]) from None


def validation_problems(error: ValidationError, model: type[BaseModel], source: str, prefix: str = "") -> list[Problem]:
    """One Problem per pydantic error, named by its key path; an unknown key says which known key is nearest."""
    problems = []
    for e in error.errors(include_url=False, include_input=False):
        loc = [str(p) for p in e["loc"]]
        field = ".".join(([prefix] if prefix else []) + loc)
        message = _message(e) if e["type"] != "extra_forbidden" else _unknown_key(model, loc)
        problems.append(Problem(message, source, field=field))
    return problems


def _unknown_key(model: type[BaseModel], loc: list[str]) -> str:
    """An unknown key, with the known key nearest to it, or every known key there."""
    known = _keys_at(model, loc[:-1])
    close = difflib.get_close_matches(loc[-1], known, n=1, cutoff=0.6)
    if close:
        return Phrase("unknown key {key} (did you mean {close}?)", key=repr(loc[-1]), close=close[0])
    if known:
        return Phrase("unknown key {key} (known: {known})", key=repr(loc[-1]), known=", ".join(sorted(known)))
    return Phrase("unknown key {key}", key=repr(loc[-1]))


_MESSAGES = {
    "missing": "is missing",
    "string_type": "must be a non-empty text",
    "string_too_short": "must be a non-empty text",
    "int_type": "must be a whole number",
    "bool_type": "must be true or false",
    "list_type": "must be an array",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
}


def _message(error: Any) -> str:
    """The clerk's wording of one pydantic error (a Phrase: its own for the common types and for the validators
    that raise one, else pydantic's English)."""
    kind, context = error["type"], error.get("ctx") or {}
    if kind in ("literal_error", "enum"):
        known = ", ".join(re.findall(r"'([^']*)'", str(context.get("expected", ""))))
        return Phrase("must be one of {known}", known=known)
    if kind == "string_too_long":
        return Phrase("is longer than {n} character", "is longer than {n} characters", n=context.get("max_length"))
    limit = context.get("le", context.get("ge"))
    if kind == "less_than_equal" and isinstance(limit, int):
        return Phrase("must be at most {limit}", limit=Count(limit))
    if kind == "greater_than_equal" and isinstance(limit, int):
        return Phrase("must be at least {limit}", limit=Count(limit))
    said = phrase_of(context["error"]) if isinstance(context.get("error"), ValueError) else ""
    if isinstance(said, Phrase):  # a validator's own words (saylau.io.config)
        return said
    return Phrase(_MESSAGES[kind]) if kind in _MESSAGES else str(error["msg"]).removeprefix("Value error, ")


def _keys_at(model: type[BaseModel], path: list[str]) -> list[str]:
    """The keys the model accepts at a key path (through nested models, optional ones included)."""
    current: Any = model
    for part in path:
        field = current.model_fields.get(part) if current is not None else None
        if field is None:
            return []
        current = next(
            (
                t
                for t in (field.annotation, *get_args(field.annotation))
                if isinstance(t, type) and issubclass(t, BaseModel)
            ),
            None,
        )
    return list(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []
