"""The double-entry state machine: every allowed transition, and every other (state, action) refused."""

from __future__ import annotations

import pytest

from saylau.service.states import (
    TRANSITIONS,
    Action,
    Entry,
    EntryState,
    Record,
    TransitionRefused,
    allowed,
    apply,
)

FIGURES = {"found": 10, "votes": {"A": 6, "B": 4}}
OTHER = {"found": 10, "votes": {"A": 4, "B": 6}}
ONE = Entry(FIGURES, "op1")
TWO = Entry(OTHER, "op2")
WARNED = Entry(FIGURES, "op1", ("W002",))


def record(state: EntryState) -> Record:
    """A typical record in `state`."""
    return {
        EntryState.EMPTY: Record(),
        EntryState.FIRST_ENTRY: Record(EntryState.FIRST_ENTRY, first=ONE),
        EntryState.DIFFERENT: Record(EntryState.DIFFERENT, first=ONE, second=TWO),
        EntryState.WARNINGS: Record(EntryState.WARNINGS, first=WARNED, definitive=WARNED),
        EntryState.ACCEPTED: Record(EntryState.ACCEPTED, first=ONE, definitive=ONE),
    }[state]


def test_empty_then_first_entry() -> None:
    after = apply(Record(), Action.ENTER, entry=ONE, by="op1")
    assert after == Record(EntryState.FIRST_ENTRY, first=ONE)


def test_equal_second_entry_is_accepted_at_once() -> None:
    after = apply(record(EntryState.FIRST_ENTRY), Action.ENTER, entry=Entry(FIGURES, "op2"), by="op2")
    assert after.state is EntryState.ACCEPTED and after.definitive == ONE


def test_equal_entries_with_warnings_wait_for_the_coordinator() -> None:
    start = Record(EntryState.FIRST_ENTRY, first=WARNED)
    after = apply(start, Action.ENTER, entry=Entry(FIGURES, "op2", ("W002",)), by="op2")
    assert after.state is EntryState.WARNINGS and after.definitive == WARNED


def test_different_second_entry_goes_to_the_coordinator() -> None:
    after = apply(record(EntryState.FIRST_ENTRY), Action.ENTER, entry=TWO, by="op2")
    assert after == Record(EntryState.DIFFERENT, first=ONE, second=TWO)


def test_second_entry_by_the_same_operator_is_refused() -> None:
    with pytest.raises(TransitionRefused, match="another operator"):
        apply(record(EntryState.FIRST_ENTRY), Action.ENTER, entry=Entry(FIGURES, "op1"), by="op1")


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        (Action.KEEP_FIRST, Record(EntryState.ACCEPTED, first=ONE, definitive=ONE)),
        (Action.KEEP_SECOND, Record(EntryState.ACCEPTED, first=TWO, definitive=TWO)),
        (Action.DISCARD_FIRST, Record(EntryState.FIRST_ENTRY, first=TWO)),
        (Action.DISCARD_SECOND, Record(EntryState.FIRST_ENTRY, first=ONE)),
        (Action.DISCARD_BOTH, Record()),
    ],
)
def test_one_step_resolutions(action: Action, expected: Record) -> None:
    assert apply(record(EntryState.DIFFERENT), action, by="coordinator") == expected


def test_keeping_an_entry_with_warnings_waits_for_acceptance() -> None:
    start = Record(EntryState.DIFFERENT, first=WARNED, second=TWO)
    assert apply(start, Action.KEEP_FIRST).state is EntryState.WARNINGS


def test_accepting_warnings_accepts() -> None:
    after = apply(record(EntryState.WARNINGS), Action.ACCEPT_WARNINGS, by="coordinator")
    assert after.state is EntryState.ACCEPTED and after.definitive == WARNED


@pytest.mark.parametrize("state", [EntryState.ACCEPTED, EntryState.WARNINGS])
def test_reopen_empties(state: EntryState) -> None:
    assert apply(record(state), Action.REOPEN, by="coordinator") == Record()


def test_the_table_lists_exactly_the_transitions_tested_above() -> None:
    assert len(TRANSITIONS) == 10
    assert allowed(EntryState.DIFFERENT) == (
        Action.KEEP_FIRST,
        Action.KEEP_SECOND,
        Action.DISCARD_FIRST,
        Action.DISCARD_SECOND,
        Action.DISCARD_BOTH,
    )


@pytest.mark.parametrize(
    ("state", "action"),
    [(s, a) for s in EntryState for a in Action if (s, a) not in TRANSITIONS],
)
def test_every_other_transition_is_refused(state: EntryState, action: Action) -> None:
    with pytest.raises(TransitionRefused, match=f"cannot {action.value}"):
        apply(record(state), action, entry=TWO, by="op2")


@pytest.mark.parametrize(("state", "action"), sorted(TRANSITIONS))
def test_every_allowed_transition_reaches_a_listed_state(state: EntryState, action: Action) -> None:
    entry = TWO if action is Action.ENTER else None
    assert apply(record(state), action, entry=entry, by="op2").state in TRANSITIONS[(state, action)]
