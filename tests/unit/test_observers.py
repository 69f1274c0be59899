"""The observers' comparison on hand-made protocols: each difference, the missing copies, the totals."""

from __future__ import annotations

from dataclasses import replace

from saylau.analysis.forensics.observers import ObserverCopy, compare, line_differences
from saylau.reports.observers import observers_sheet
from saylau.tabulation import BallotKind, Protocol


def _p(station: int, district: int, ballot: BallotKind, votes: dict[str, int]) -> Protocol:
    found = sum(votes.values()) + 10  # 6 invalid, 4 against all
    return Protocol(station, district, ballot, 1000, 1010, found, 0, 0, 1010 - found, found, 6, 4, votes)


ACCEPTED = [
    _p(1, 1, "list", {"A": 300, "B": 200}),
    _p(2, 1, "list", {"A": 100, "B": 150}),
    _p(3, 2, "list", {"A": 50, "B": 60}),
    _p(1, 1, "district", {"X": 260, "Y": 240}),
]


def test_a_copy_with_ballots_moved_differs_in_exactly_those_lines() -> None:
    """A copy that moves 40 of A's votes to B differs in exactly the two vote lines. A copy with 10 fewer
    ballots issued and found (all of them A's, the 10 counted as cancelled instead) differs in issued,
    cancelled, found and A's votes, in the order of the form."""
    official = ACCEPTED[0]
    copy = replace(official, votes={"A": 260, "B": 240})
    lines = line_differences(official, copy)
    assert [(d.line, d.official, d.observed, d.difference) for d in lines] == [
        ("vote:A", 300, 260, -40),
        ("vote:B", 200, 240, 40),
    ]
    stuffed = replace(
        official,
        found=official.found - 10,
        issued=official.issued - 10,
        cancelled=official.cancelled + 10,
        votes={"A": 290, "B": 200},
    )
    assert [(d.line, d.difference) for d in line_differences(official, stuffed)] == [
        ("issued", -10),
        ("cancelled", 10),
        ("found", -10),
        ("vote:A", -10),
    ]


def test_compare_ranks_differences_lists_missing_copies_and_recounts_the_totals() -> None:
    """Copies: station 1 list (A 300 -> 200, B 200 -> 300: the leader of station 1 flips), station 2 list
    (equal), station 9 list (no accepted protocol). No copy: station 3 list and station 1 district.

    List totals counted: A 300 + 100 + 50 = 450, B 200 + 150 + 60 = 410 (A leads). With the copies: A 200 +
    100 + 50 = 350, B 300 + 150 + 60 = 510 (B leads): the leader changes."""
    copies = [
        ObserverCopy(replace(ACCEPTED[0], votes={"A": 200, "B": 300}), "Aigerim", None, "ab" * 32),
        ObserverCopy(ACCEPTED[1]),
        ObserverCopy(_p(9, 2, "list", {"A": 1, "B": 1})),
    ]
    check = compare(ACCEPTED, copies)
    assert check.copies == 2 and check.matching == 1
    [difference] = check.differences
    assert (difference.station, difference.ballot, difference.largest) == (1, "list", 100)
    assert difference.copy.observer == "Aigerim"
    assert check.without_copy == ((1, "district"), (3, "list"))
    assert check.without_protocol == ((9, "list"),)
    list_totals = check.totals[0]
    assert list_totals.ballot == "list" and list_totals.district is None
    lines = {t.line: (t.official, t.observed) for t in list_totals.lines}
    assert lines["vote:A"] == (450, 350) and lines["vote:B"] == (410, 510)
    assert lines["found"] == (510 + 260 + 120, 510 + 260 + 120)
    assert (list_totals.official_leader, list_totals.observed_leader, list_totals.leader_changes) == ("A", "B", True)
    district = check.totals[1]
    assert (district.ballot, district.district, district.leader_changes) == ("district", 1, False)


def test_differences_are_ranked_by_their_largest_line() -> None:
    small = ObserverCopy(replace(ACCEPTED[0], votes={"A": 299, "B": 200}))
    large = ObserverCopy(replace(ACCEPTED[2], votes={"A": 150, "B": 60}))
    check = compare(ACCEPTED, [small, large])
    assert [(d.station, d.largest) for d in check.differences] == [(3, 100), (1, 1)]


def test_totals_say_no_difference_in_words_where_the_copies_change_nothing() -> None:
    """The totals table of the first test's copies: A and B differ (-100, +100); ballots found do not, and the
    report says so in the reader's language, never "+0" (the words are the catalogues' own)."""
    copies = [ObserverCopy(replace(ACCEPTED[0], votes={"A": 200, "B": 300})), ObserverCopy(ACCEPTED[1])]
    check = compare(ACCEPTED, copies)
    for lang, words in (("en", "no difference"), ("kk", "айырма жоқ"), ("ru", "расхождения нет")):
        totals = next(t for t in observers_sheet(check, lang).tables if t.key == "totals")
        column = {row[1]: row[4] for row in totals.rows if row[0] == totals.rows[0][0]}
        assert [cell for cell in column.values() if cell.endswith("100")] == ["-100", "+100"]
        assert sum(cell == words for cell in column.values()) >= 3  # against all, invalid, found
        assert not any(cell == "+0" for row in totals.rows for cell in row)
