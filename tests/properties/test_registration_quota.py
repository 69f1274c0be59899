"""The 30% list quota as properties: a list built to meet it passes; a list at exactly 30% that loses any
one of its quota candidates fails (Kazakhstan 2023 preset: women, young people or people with disabilities)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from saylau.domain import Ballot, Body, Election, Nominee, Particulars, Party, Registration, Results, Sex
from saylau.registration import Rule, check_registration
from saylau.rules import resolve_system

DAY = date(2023, 3, 19)
SYSTEM = resolve_system("kazakhstan-2023-maslihat", {}, list_seats=10, has_districts=False)

# One way each to be in the quota (a woman, young, with a disability), and the one way not to be.
IN_QUOTA = [
    Particulars(date(1980, 1, 1), Sex.FEMALE, False),
    Particulars(date(2000, 1, 1), Sex.MALE, False),
    Particulars(date(1970, 1, 1), Sex.MALE, True),
]
OUTSIDE = Particulars(date(1975, 5, 5), Sex.MALE, False)


def _election(particulars: list[Particulars]) -> Election:
    nominees = tuple(
        Nominee(f"C{i}", "A", Ballot.LIST, position=i, particulars=p, row=i + 1) for i, p in enumerate(particulars, 1)
    )
    return Election(
        "prop", Body("Council", 10), SYSTEM, (Party("A", "A", 1),), {}, (), Results(), DAY,
        registration=Registration(nominees),
    )  # fmt: skip


def _quota_refusals(particulars: list[Particulars]) -> list[Rule]:
    return [r.rule for r in check_registration(_election(particulars)).refusals if r.rule is Rule.QUOTA]


@st.composite
def lists_meeting_the_quota(draw: st.DrawFn) -> list[Particulars]:
    """n candidates, k >= 30% of them in the quota (k * 10 >= n * 3), in any order."""
    n = draw(st.integers(1, 60))
    k = draw(st.integers(-(-3 * n // 10), n))
    members = [draw(st.sampled_from(IN_QUOTA)) for _ in range(k)]
    return draw(st.permutations(members + [OUTSIDE] * (n - k)))


@given(lists_meeting_the_quota())
def test_a_list_built_to_meet_the_quota_passes(particulars: list[Particulars]) -> None:
    assert _quota_refusals(particulars) == []


@st.composite
def lists_at_exactly_thirty_percent(draw: st.DrawFn) -> tuple[list[Particulars], int]:
    """10m candidates of whom exactly 3m are in the quota, and the index of one of those to remove."""
    m = draw(st.integers(1, 6))
    members = [draw(st.sampled_from(IN_QUOTA)) for _ in range(3 * m)]
    particulars = draw(st.permutations(members + [OUTSIDE] * (7 * m)))
    quota_indices = [i for i, p in enumerate(particulars) if p is not OUTSIDE]
    return particulars, draw(st.sampled_from(quota_indices))


@given(lists_at_exactly_thirty_percent())
def test_removing_any_quota_candidate_at_exactly_thirty_percent_fails(case: tuple[list[Particulars], int]) -> None:
    particulars, removed = case
    assert _quota_refusals(particulars) == []
    assert _quota_refusals(particulars[:removed] + particulars[removed + 1 :]) == [Rule.QUOTA]
