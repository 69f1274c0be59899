"""What-if: the same votes under other rules.

A reader of a result often asks "what would the council look like under D'Hondt, a 7% threshold, all seats
by list, or MMP?". The honest answer re-runs the very same counted ballots through the same composition code
with only the rules changed, so a scenario can never disagree with the declared result on anything but the
rule it changes. Nothing here reads files or prints: it is pure and exact, like the rest of the core.

Modes:

- `as-is`: keep the configured combination (Kazakhstan: parallel); only the list tier's method or threshold
  changes, so the district seats stay as they were.
- `pure-pr`: every seat of the body goes to party lists; the district tier and its results are ignored.
  Lists are not capped at their registered length, because a party standing in an all-list election would
  have registered a list long enough (Almaty 2023: Amanat's 21 names would otherwise cap a 24-seat share).
- `mmp`: the list tier compensates for the district seats (`Combination.COMPENSATORY`, already handled by
  `saylau.composition.compose`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from saylau.analysis.indices import Indices, council_indices
from saylau.apportionment import Method
from saylau.composition import Composition, compose
from saylau.domain import Election
from saylau.errors import Phrase, RuleError
from saylau.rules import Combination, ElectoralSystem, ListTier, Overhang

# What a scenario refuses, as catalogue msgids (said in kk and ru by `saylau.reports.problems`).
NOTHING_TO_RERUN = "scenario {label}: the election has no list tier (or no list votes) to re-run"
NOT_A_SHARE = "scenario {label}: threshold {threshold}% is not 0-100"
NO_DISTRICTS = "scenario {label}: {combination} needs a district tier to compensate for"
NEEDS_DIVISOR = "scenario {label}: additional-member needs a divisor method, not {method} (add --method dhondt)"


class Mode(StrEnum):
    """How the tiers are arranged in a scenario."""

    AS_IS = "as-is"
    PURE_PR = "pure-pr"
    MMP = "mmp"


@dataclass(frozen=True, slots=True)
class Scenario:
    """One set of alternative rules; `None` keeps the election's own method or threshold.

    `threshold_percent` of 0 means no threshold at all (every list takes part).
    """

    label: str
    method: Method | None = None
    threshold_percent: Fraction | None = None
    mode: Mode = Mode.AS_IS
    combination: Combination | None = None
    """Another way the tiers combine (any compensation mode); None keeps the election's own."""
    overhang: Overhang | None = None


ACTUAL = Scenario("actual")
"""The rules as configured: what the commission declared (or would declare) from these votes."""


@dataclass(frozen=True, slots=True)
class ScenarioOutcome:
    """A scenario, the election as re-ruled, its council and its indices (None without a list tier)."""

    scenario: Scenario
    election: Election
    composition: Composition
    indices: Indices | None

    def seats(self) -> dict[str, int]:
        """Seats per party in registration order (independents not included; see `composition.independents`)."""
        return {p.party: p.seats for p in self.composition.parties}


def apply_scenario(election: Election, scenario: Scenario) -> Election:
    """The election with the scenario's rules in place of its own; votes, lists and districts untouched."""
    system = election.system
    tier = system.list_tier
    if tier is None or election.results.list_tally is None:
        if scenario == dataclasses.replace(ACTUAL, label=scenario.label):
            return election
        raise RuleError(Phrase(NOTHING_TO_RERUN, label=repr(scenario.label)))
    update: dict[str, object] = {}
    if scenario.method is not None:
        update["method"] = scenario.method
    if scenario.threshold_percent is not None:
        if not 0 <= scenario.threshold_percent <= 100:
            raise RuleError(Phrase(NOT_A_SHARE, label=repr(scenario.label), threshold=str(scenario.threshold_percent)))
        update["threshold_percent"] = scenario.threshold_percent or None
        if scenario.threshold_percent == 0:
            update["threshold_votes"] = None
    new_system: ElectoralSystem
    if scenario.mode is Mode.PURE_PR:
        update.update(seats=election.body.seats, cap_at_list_length=False)
        new_system = system.model_copy(
            update={
                "list_tier": _tier(tier, update),
                "district_tier": None,
                "combination": Combination.PARALLEL,
            }
        )
    elif scenario.mode is Mode.MMP:
        if system.district_tier is None:
            raise RuleError(Phrase(NO_DISTRICTS, label=repr(scenario.label), combination=Phrase("MMP")))
        new_system = system.model_copy(
            update={"list_tier": _tier(tier, update), "combination": Combination.COMPENSATORY}
        )
    else:
        new_system = system.model_copy(update={"list_tier": _tier(tier, update)})
    if scenario.combination is not None or scenario.overhang is not None:
        new_system = _combine(election, new_system, scenario)
    return dataclasses.replace(election, system=new_system)


def _combine(election: Election, system: ElectoralSystem, scenario: Scenario) -> ElectoralSystem:
    """The system with another combination of its tiers (and overhang rule), checked like a folder's."""
    combination = scenario.combination or system.combination
    if combination is not Combination.PARALLEL and system.district_tier is None:
        raise RuleError(Phrase(NO_DISTRICTS, label=repr(scenario.label), combination=combination.value))
    tier = system.list_tier
    if combination is Combination.ADDITIONAL_MEMBER and tier is not None and tier.method.is_quota:
        raise RuleError(Phrase(NEEDS_DIVISOR, label=repr(scenario.label), method=Phrase(tier.method.label)))
    data = system.model_dump()
    data["combination"] = combination
    if scenario.overhang is not None:
        data["overhang"] = scenario.overhang
    return ElectoralSystem.model_validate(data)


def _tier(tier: ListTier, update: dict[str, object]) -> ListTier:
    """A copy of the list tier with `update` applied, re-validated (model_copy alone skips validation)."""
    return ListTier.model_validate({**tier.model_dump(), **update})


def run_scenario(election: Election, scenario: Scenario) -> ScenarioOutcome:
    """Compose the council under one scenario and measure it."""
    ruled = apply_scenario(election, scenario)
    composition = compose(ruled)
    return ScenarioOutcome(scenario, ruled, composition, council_indices(composition))


def what_if(election: Election, scenarios: Iterable[Scenario]) -> list[ScenarioOutcome]:
    """Each scenario's council from the same votes, in the order given (add `ACTUAL` to compare)."""
    return [run_scenario(election, s) for s in scenarios]
