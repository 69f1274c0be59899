"""The indices' convention on Almaty 2023's list tier (list votes of results/list.csv against list seats).

Issue 9 computed, outside saylau: 4.48 with shares over party votes + "against all" but no "against all"
entry (vote shares summing to 0.943, no convention), 2.77 by the standard convention (shares over the votes
of the parties compared), 6.00 with "against all" as a seatless entry.
"""

from __future__ import annotations

import pytest

from saylau.analysis.indices import list_tier_indices
from saylau.composition import Composition
from saylau.io import load_election
from saylau.result import declare
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def almaty() -> tuple[Composition, int]:
    result = declare(load_election(EXAMPLES / "almaty-2023"))
    assert result.election.results.list_tally is not None
    return result.composition, result.election.results.list_tally.against_all


def test_standard_convention_shares_over_party_votes(almaty: tuple[Composition, int]) -> None:
    tier = list_tier_indices(almaty[0])
    assert tier is not None and round(tier.gallagher, 2) == 2.77


def test_against_all_as_a_seatless_entry(almaty: tuple[Composition, int]) -> None:
    composition, against_all = almaty
    assert against_all == 16490
    tier = list_tier_indices(composition, against_all=against_all)
    assert tier is not None and round(tier.gallagher, 2) == 6.00
