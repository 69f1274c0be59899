"""Two-round and multi-member districts, and thresholds as data: figures worked by hand in each test."""

from __future__ import annotations

from fractions import Fraction

from saylau.composition import DistrictStatus, decide_district
from saylau.composition.admission import AdmittedBy, admit
from saylau.domain import Candidate, District, Party, Tally
from saylau.rules import DistrictRounds, DistrictTier, ListTier, MajorityBase

A, B, C = Candidate("Ana", "X"), Candidate("Bek", "Y"), Candidate("Cem", None)
TWO = DistrictTier(rounds=DistrictRounds.TWO, majority_base=MajorityBase.CAST)


def test_a_majority_of_those_who_took_part_elects_in_round_one() -> None:
    # 51 of 100 who took part (valid 98): more than half of 100
    outcome = decide_district(
        District(1, (A, B, C)), Tally({"Ana": 51, "Bek": 40, "Cem": 7}, invalid=2, took_part=100), TWO
    )
    assert (outcome.status, outcome.winner, outcome.round) == (DistrictStatus.ELECTED, A, 1)


def test_exactly_half_is_not_a_majority_and_waits_for_the_runoff() -> None:
    outcome = decide_district(
        District(1, (A, B, C)), Tally({"Ana": 50, "Bek": 40, "Cem": 8}, invalid=2, took_part=100), TWO
    )
    assert outcome.status is DistrictStatus.RUNOFF_PENDING
    assert outcome.winner is None


def test_the_runoff_between_the_top_two_decides() -> None:
    first = Tally({"Ana": 45, "Bek": 40, "Cem": 15}, took_part=100)
    second = Tally({"Ana": 30, "Bek": 50, "Cem": 99}, took_part=80)  # Cem is not in the run-off: ignored
    outcome = decide_district(District(1, (A, B, C)), first, TWO, second)
    assert (outcome.status, outcome.winner, outcome.round) == (DistrictStatus.ELECTED, B, 2)
    assert [s.candidate.name for s in outcome.runoff] == ["Bek", "Ana"]


def test_plurality_under_one_round_ignores_the_majority() -> None:
    outcome = decide_district(
        District(1, (A, B, C)), Tally({"Ana": 45, "Bek": 40, "Cem": 15}, took_part=100), DistrictTier()
    )
    assert outcome.winner == A


def test_a_multi_member_district_elects_its_most_voted_candidates() -> None:
    outcome = decide_district(District(1, (A, B, C), seats=2), Tally({"Ana": 10, "Bek": 30, "Cem": 20}), DistrictTier())
    assert outcome.elected == (B, C)


def test_a_district_with_fewer_candidates_than_seats_elects_those_with_votes_and_leaves_the_rest_vacant() -> None:
    # 4 seats, 3 candidates, Cem without a vote: Bek (30) and Ana (10) elected, 2 seats vacant
    outcome = decide_district(District(1, (A, B, C), seats=4), Tally({"Ana": 10, "Bek": 30, "Cem": 0}), DistrictTier())
    assert (outcome.status, outcome.winner, outcome.elected, outcome.vacant) == (DistrictStatus.ELECTED, B, (B, A), 2)
    nobody = decide_district(District(1, (A,), seats=2), Tally({"Ana": 0}), DistrictTier())
    assert (nobody.status, nobody.winner, nobody.elected, nobody.vacant) == (DistrictStatus.ELECTED, None, (), 2)


def test_a_tie_for_the_last_seat_of_a_multi_member_district_is_left_to_the_commission() -> None:
    outcome = decide_district(District(1, (A, B, C), seats=2), Tally({"Ana": 20, "Bek": 30, "Cem": 20}), DistrictTier())
    assert outcome.status is DistrictStatus.TIE_UNDECIDED
    assert outcome.winners == (B,)
    assert set(outcome.tied) == {"Ana", "Cem"}


PARTIES = (
    Party("Big", "Big", 1),
    Party("Joint", "Joint list", 2, members=2),
    Party("Minority", "Minority", 3, minority=True),
    Party("Local", "Local", 4),
    Party("Others", "Others", 5, aggregate=True),
)
VOTES = Tally({"Big": 600, "Joint": 90, "Minority": 10, "Local": 40, "Others": 260}, blank=0, took_part=1000)


def tier(**rules: object) -> ListTier:
    return ListTier.model_validate(
        {"seats": 10, "threshold_percent": "5", "threshold_base": "valid", "min_admitted": 0, **rules}
    )


def by(report: object) -> dict[str, AdmittedBy]:
    return {a.party: a.by for a in report.admissions}  # type: ignore[attr-defined]


def test_a_joint_list_faces_its_own_percentage() -> None:
    # Joint 90 of 1000 = 9%: passes 5%, fails the 10% of a two-party list
    assert by(admit(tier(), PARTIES, VOTES, {}))["Joint"] is AdmittedBy.THRESHOLD
    assert by(admit(tier(joint_list_thresholds={2: "10"}), PARTIES, VOTES, {}))["Joint"] is AdmittedBy.BELOW


def test_an_aggregated_row_counts_in_the_base_and_never_passes() -> None:
    report = admit(tier(), PARTIES, VOTES, {})
    assert report.base == 1000
    assert by(report)["Others"] is AdmittedBy.AGGREGATE
    assert "Others" not in report.admitted


def test_districts_won_are_an_alternative_to_the_percentage() -> None:
    assert by(admit(tier(threshold_districts=1), PARTIES, VOTES, {"Local": 1}))["Local"] is AdmittedBy.DISTRICTS
    assert by(admit(tier(threshold_districts=2), PARTIES, VOTES, {"Local": 1}))["Local"] is AdmittedBy.BELOW


def test_a_named_list_is_exempt() -> None:
    assert by(admit(tier(threshold_exempt=["Minority"]), PARTIES, VOTES, {}))["Minority"] is AdmittedBy.EXEMPT


def test_blank_votes_count_in_the_base_unless_the_rules_leave_them_out() -> None:
    # Local 40 of 800 party-and-other votes + 200 blank: 4% with blank votes in, 5% with them out
    with_blank = Tally({"Big": 500, "Local": 40, "Others": 260}, blank=200, took_part=1000)
    parties = (PARTIES[0], PARTIES[3], PARTIES[4])
    assert by(admit(tier(), parties, with_blank, {}))["Local"] is AdmittedBy.BELOW
    report = admit(tier(blank_in_base=False), parties, with_blank, {})
    assert report.base == 800
    assert by(report)["Local"] is AdmittedBy.THRESHOLD
    assert report.admissions[1].share == Fraction(40, 800)


def test_under_a_preferential_quota_minority_lists_stay_outside_the_party_threshold() -> None:
    # Base without the minority list's 10 votes: 990; Local 40/990 = 4.04% < 5%; Minority never passes
    report = admit(tier(preferential_quota="1/4"), PARTIES, VOTES, {})
    assert report.base == 990
    assert by(report)["Minority"] is AdmittedBy.BELOW


LITHUANIA = DistrictTier(
    rounds=DistrictRounds.TWO, majority_base=MajorityBase.CAST, low_turnout_percent="40", low_turnout_share="1/5"
)


def test_at_low_turnout_round_one_needs_a_fifth_of_the_registered_voters() -> None:
    # Turnout 300 of 1000 = 30% < 40%: Ana's 210 (70%) is a majority but only 21% of the registered: elected;
    # with 190 (19% of the registered) she is not, whatever her majority.
    elected = decide_district(
        District(1, (A, B)), Tally({"Ana": 210, "Bek": 90}, took_part=300, registered=1000), LITHUANIA
    )
    assert elected.status is DistrictStatus.ELECTED
    short = decide_district(
        District(1, (A, B)), Tally({"Ana": 190, "Bek": 110}, took_part=300, registered=1000), LITHUANIA
    )
    assert short.status is DistrictStatus.RUNOFF_PENDING


def test_at_normal_turnout_the_majority_rule_applies() -> None:
    # Turnout 500 of 1000 = 50%: Ana's 240 of 500 is no majority
    outcome = decide_district(
        District(1, (A, B, C)), Tally({"Ana": 240, "Bek": 200, "Cem": 60}, took_part=500, registered=1000), LITHUANIA
    )
    assert outcome.status is DistrictStatus.RUNOFF_PENDING
