"""Double data entry of one protocol, as a state machine: pure, no I/O (see docs/data-entry.md).

Every station's protocol for each ballot is typed twice, by two different operators who cannot see each
other's entry (after the Dutch Electoral Council's Abacus). Equal entries whose checks pass are accepted at
once; different entries wait for a coordinator, who keeps one of them or discards one or both in one step;
warnings wait for the coordinator's written acceptance; an accepted protocol is reopened only by a
coordinator, with a reason.

Only the transitions in `TRANSITIONS` exist: `apply` refuses every other (state, action) pair with
`TransitionRefused`. Who may take an action (role, commission) is checked by the service before it calls
`apply`; here only the rule that needs the entries themselves is checked: the second entry must come from
another operator than the first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from saylau.errors import SaylauError

Figures = Mapping[str, object]
"""An entry's figures as typed: the protocol's lines and `votes` (option -> count)."""


class EntryState(StrEnum):
    """Where one protocol (station x ballot) stands."""

    EMPTY = "empty"
    """Nothing entered yet, or everything discarded or reopened."""
    FIRST_ENTRY = "first-entry"
    """Entry 1 is finalised; the protocol waits for entry 2 by another operator."""
    DIFFERENT = "different"
    """Entry 2 differs from entry 1: a coordinator resolves."""
    WARNINGS = "warnings"
    """Definitive figures that checks warn about: a coordinator accepts them in writing."""
    ACCEPTED = "accepted"
    """Counted."""


class Action(StrEnum):
    """What people do to a protocol."""

    ENTER = "enter"
    KEEP_FIRST = "keep-first"
    KEEP_SECOND = "keep-second"
    DISCARD_FIRST = "discard-first"
    DISCARD_SECOND = "discard-second"
    DISCARD_BOTH = "discard-both"
    ACCEPT_WARNINGS = "accept-warnings"
    REOPEN = "reopen"


RESOLUTIONS = (Action.KEEP_FIRST, Action.KEEP_SECOND, Action.DISCARD_FIRST, Action.DISCARD_SECOND, Action.DISCARD_BOTH)
"""The coordinator's one-step answers to two different entries."""

TRANSITIONS: Mapping[tuple[EntryState, Action], frozenset[EntryState]] = {
    (EntryState.EMPTY, Action.ENTER): frozenset({EntryState.FIRST_ENTRY}),
    (EntryState.FIRST_ENTRY, Action.ENTER): frozenset({EntryState.ACCEPTED, EntryState.WARNINGS, EntryState.DIFFERENT}),
    (EntryState.DIFFERENT, Action.KEEP_FIRST): frozenset({EntryState.ACCEPTED, EntryState.WARNINGS}),
    (EntryState.DIFFERENT, Action.KEEP_SECOND): frozenset({EntryState.ACCEPTED, EntryState.WARNINGS}),
    (EntryState.DIFFERENT, Action.DISCARD_FIRST): frozenset({EntryState.FIRST_ENTRY}),
    (EntryState.DIFFERENT, Action.DISCARD_SECOND): frozenset({EntryState.FIRST_ENTRY}),
    (EntryState.DIFFERENT, Action.DISCARD_BOTH): frozenset({EntryState.EMPTY}),
    (EntryState.WARNINGS, Action.ACCEPT_WARNINGS): frozenset({EntryState.ACCEPTED}),
    (EntryState.WARNINGS, Action.REOPEN): frozenset({EntryState.EMPTY}),
    (EntryState.ACCEPTED, Action.REOPEN): frozenset({EntryState.EMPTY}),
}
"""Every transition there is: (state, action) -> the states it may lead to (entries and checks decide which)."""


class TransitionRefused(SaylauError):
    """An action the state machine does not allow in the protocol's state, or by this person."""

    code = "transition-refused"

    def __init__(
        self, message: str, field: str | None = None, *, state: EntryState | None = None, action: Action | None = None
    ) -> None:
        super().__init__(message)
        self.field = field
        self.state = state
        """The protocol's state when the action was refused (None: refused for who asked, not for the state)."""
        self.action = action


@dataclass(frozen=True, slots=True)
class Entry:
    """One operator's typing of a protocol, and the warnings its checks raised (codes)."""

    figures: Figures
    by: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Record:
    """What the machine knows of one protocol. `definitive` is the entry that counts once accepted."""

    state: EntryState = EntryState.EMPTY
    first: Entry | None = None
    second: Entry | None = None
    definitive: Entry | None = None


def apply(record: Record, action: Action, *, entry: Entry | None = None, by: str = "") -> Record:
    """The record after `action`, or TransitionRefused when the machine has no such transition.

    `entry` is the new entry for ENTER (its checks already passed: an entry with a blocking error never
    reaches the machine). `by` is who acts, for the rule that entry 2 comes from another operator.
    """
    if (record.state, action) not in TRANSITIONS:
        raise TransitionRefused(_refusal(record.state, action), state=record.state, action=action)
    if action is Action.ENTER:
        assert entry is not None, "ENTER needs the entry"
        return _enter(record, entry)
    if action in (Action.KEEP_FIRST, Action.KEEP_SECOND):
        kept = record.first if action is Action.KEEP_FIRST else record.second
        assert kept is not None
        return _definitive(kept)
    if action is Action.DISCARD_FIRST:
        return Record(EntryState.FIRST_ENTRY, first=record.second)
    if action is Action.DISCARD_SECOND:
        return Record(EntryState.FIRST_ENTRY, first=record.first)
    if action is Action.ACCEPT_WARNINGS:
        return replace(record, state=EntryState.ACCEPTED)
    return Record()  # DISCARD_BOTH, REOPEN


def _enter(record: Record, entry: Entry) -> Record:
    if record.state is EntryState.EMPTY:
        return Record(EntryState.FIRST_ENTRY, first=entry)
    assert record.first is not None
    if entry.by == record.first.by:
        raise TransitionRefused("the second entry must be typed by another operator than the first", "station")
    if entry.figures != record.first.figures:
        return Record(EntryState.DIFFERENT, first=record.first, second=entry)
    return replace(_definitive(record.first), second=entry)


def _definitive(entry: Entry) -> Record:
    state = EntryState.WARNINGS if entry.warnings else EntryState.ACCEPTED
    return Record(state, first=entry, definitive=entry)


def allowed(state: EntryState) -> tuple[Action, ...]:
    """The actions the machine accepts in `state`, in the order of `Action`."""
    return tuple(a for a in Action if (state, a) in TRANSITIONS)


WHY = {
    EntryState.EMPTY: "nothing has been entered yet",
    EntryState.FIRST_ENTRY: "it waits for the second entry",
    EntryState.DIFFERENT: "its two entries differ and wait for a coordinator",
    EntryState.WARNINGS: "its warnings wait for a coordinator's acceptance",
    EntryState.ACCEPTED: "it is accepted; only a coordinator can reopen it",
}
"""Why each state refuses what it does not allow (msgids of the catalogues: the pages translate them)."""


def _refusal(state: EntryState, action: Action) -> str:
    possible = ", ".join(a.value for a in allowed(state)) or "nothing"
    return f"cannot {action.value} this protocol: {WHY[state]} (possible now: {possible})"
