"""Drawings of lots in the service: the ties waiting for one, and the commission's record of each outcome.

A tie the rules leave to the commission stops certification (409 `lots-required`): lists tied for list seats,
candidates tied in a district, or an open list's candidates tied on preference votes (`OpenList.tie` lot).
The commission draws lots by hand; a whole-city coordinator (who may certify) or the administrator records
the outcome here: the tie it settles (tier, district, the tied names, the seats at stake) and the winners.
The count runs again with it at once; an outcome that does not fit a tie of the current count is refused with
the core's reason (`saylau.composition.lots.Misfit`), and nothing is stored. Every record is audited in full;
certification freezes it with everything else. A record that no longer fits (a protocol reopened and changed
the figures) settles nothing and blocks certification until it is withdrawn, with a reason, audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from saylau.composition.lots import Misfit, Tie
from saylau.domain import Election, LotDecision, TieTier
from saylau.io.decisions import UNKNOWN_TIER, describe, misfit_message
from saylau.result import Result, declare_tabulation
from saylau.service import audit, tallies
from saylau.service.definition import contest_of, current, writable
from saylau.service.errors import Conflict, Invalid, NotFound, ServiceError
from saylau.service.permissions import Actor, Permission, require
from saylau.store import decisions as store
from saylau.store.decisions import StoredDecision

MAX_NOTE = 500


def recorded(connection: Connection, contest: str | None = None) -> tuple[LotDecision, ...]:
    """A contest's recorded drawings of lots, in the order they were recorded (the count applies them so)."""
    return tuple(_record(row) for row in store.every(connection, contest_of(connection, contest)))


def _record(row: StoredDecision) -> LotDecision:
    tier = TieTier(row.tier)
    return LotDecision(
        tier,
        row.tied,
        row.seats,
        row.winners,
        row.district if tier is TieTier.DISTRICT else None,
        "",
        row.drawn_on or row.at,
        row.by,
        row.note,
    )


def overview(connection: Connection, actor: Actor | None, contest: str | None = None) -> dict[str, Any]:
    """The ties of a contest's current count: those waiting for a drawing of lots (with their standings and, for
    an open list's candidates, the list's party), those a recorded drawing settled (with the record), and records
    that no longer fit (to withdraw)."""
    require(actor, Permission.READ_COUNT)
    contest = contest_of(connection, contest)
    result = _count(connection, contest)
    rows = store.every(connection, contest)
    stale = {r.index: r for r in result.misfits}
    election = current(connection, contest).election
    return {
        "required": [{**tie_json(t), "party": _party(election, t)} for t in result.lots_required],
        "decided": [
            {**tie_json(t), "party": _party(election, t), "decision": _json(rows[t.decision])}
            for t in result.ties
            if t.decision is not None
        ],
        "not_fitting": [
            {**_json(rows[i]), "reason": r.misfit.value, "message": misfit_message(r)} for i, r in stale.items()
        ],
    }


def _party(election: Election, tie: Tie) -> str | None:
    """The party whose open list the tied candidates stand on (candidate tier); None for other ties."""
    if tie.tier is not TieTier.CANDIDATE:
        return None
    for party in election.parties:
        found = election.list_of(party.short_name, tie.constituency)
        if found is not None and set(tie.tied) <= set(found.candidates):
            return party.short_name
    return None


def tie_json(tie: Tie) -> dict[str, Any]:
    """A tie as the API shows it: where, who with their votes, the seats at stake, who won (when settled)."""
    return {
        "tier": tie.tier.value,
        "district": tie.district,
        "tied": list(tie.tied),
        "votes": list(tie.votes),
        "seats": tie.seats,
        "winners": list(tie.winners),
        "status": "required" if tie.decision is None else "decided",
        "stage": tie.stage or None,
        "value": None if tie.value is None else str(tie.value),
        "text": describe(tie),
    }


def _json(row: StoredDecision) -> dict[str, Any]:
    return {
        "id": row.id,
        "contest": row.contest,
        "tier": row.tier,
        "district": row.district if row.tier == TieTier.DISTRICT.value else None,
        "tied": list(row.tied),
        "seats": row.seats,
        "winners": list(row.winners),
        "drawn_on": row.drawn_on,
        "recorded_by": row.by,
        "recorded_at": row.at,
        "note": row.note,
    }


REFUSALS: dict[Misfit, tuple[type[ServiceError], str]] = {
    Misfit.NO_TIE: (Conflict, "no-tie"),
    Misfit.OTHER_TIE: (Invalid, "other-tie"),
    Misfit.SEATS: (Invalid, "wrong-seats"),
    Misfit.NOT_TIED: (Invalid, "not-in-tie"),
    Misfit.WINNERS: (Invalid, "winners-count"),
    Misfit.TWICE: (Conflict, "already-decided"),
}
"""How each misfit is answered: 409 when the count has no such open tie, 422 when the record is wrong."""


def record(
    connection: Connection,
    actor: Actor | None,
    *,
    tier: str,
    district: int | None,
    tied: Sequence[str],
    seats: int,
    winners: Sequence[str],
    drawn_on: str = "",
    note: str = "",
    contest: str | None = None,
) -> dict[str, Any]:
    """Record the outcome of a drawing of lots for one tie of the current count; refuse one that fits none."""
    contest = contest_of(connection, contest)
    who = require(actor, Permission.DECIDE, contest=contest)
    writable(connection, contest)  # 409 `certified` once the result is frozen
    found = _decision(tier, district, tied, seats, winners, drawn_on, note, who)
    before = recorded(connection, contest)
    result = _count(connection, contest, (*before, found))
    refusal = next((r for r in result.misfits if r.index == len(before)), None)
    if refusal is not None:
        kind, code = REFUSALS[refusal.misfit]
        raise kind(misfit_message(refusal), refusal.field, code=code)
    made = store.add(
        connection,
        contest=contest,
        tier=found.tier.value,
        district=found.district or 0,
        tied=_ordered(result, len(before)),
        seats=found.seats,
        winners=found.winners,
        by=who.name,
        at=datetime.now(UTC).isoformat(timespec="seconds"),
        drawn_on=drawn_on.strip(),
        note=note.strip(),
    )
    stored = _stored(made)
    audit.append(connection, who, "record-lots", _subject(found), after=stored)
    return stored


def _stored(row: StoredDecision) -> dict[str, Any]:
    """A new record as the API answers it and the audit log keeps it (the columns as stored)."""
    return {
        "id": row.id,
        "tier": row.tier,
        "district": row.district,
        "tied": list(row.tied),
        "winners": list(row.winners),
        "by": row.by,
        "seats": row.seats,
        "drawn_on": row.drawn_on,
        "at": row.at,
        "note": row.note,
    }


def _ordered(result: Result, index: int) -> list[str]:
    """The tied names in the tie's own order (registration or ballot order), as the count found them."""
    return list(next(t for t in result.ties if t.decision == index).tied)


def withdraw(connection: Connection, actor: Actor | None, decision_id: int, reason: str) -> None:
    """Withdraw a recorded drawing (a wrong record, or one the figures no longer fit), with a reason, audited."""
    row = store.find(connection, decision_id)
    who = require(actor, Permission.DECIDE, contest=row.contest if row else None)
    writable(connection, row.contest if row else None)
    if not reason.strip():
        raise Invalid("write the reason", "reason")
    if row is None:
        raise NotFound("no recorded drawing of lots {id}", "id", values={"id": decision_id})
    store.remove(connection, decision_id)
    audit.append(connection, who, "withdraw-lots", _subject(_record(row)), before=_json(row), reason=reason.strip())


def _subject(decision: LotDecision) -> str:
    where = {TieTier.DISTRICT: f"district {decision.district}", TieTier.CANDIDATE: "open list"}.get(
        decision.tier, "list tier"
    )
    return f"drawing of lots, {where}: {', '.join(decision.tied)}"


def _decision(
    tier: str,
    district: int | None,
    tied: Sequence[str],
    seats: int,
    winners: Sequence[str],
    drawn_on: str,
    note: str,
    who: Actor,
) -> LotDecision:
    """The record as typed, checked for shape (the count checks that it fits)."""
    kind = next((t for t in TieTier if t.value == tier), None)
    if kind is None:
        raise Invalid(UNKNOWN_TIER, "tier", values={"tier": str(tier)[:64]})
    if kind is TieTier.DISTRICT and district is None:
        raise Invalid("name the district of the tie", "district")
    names = [n.strip() for n in tied if n.strip()]
    chosen = [n.strip() for n in winners if n.strip()]
    if len(names) < 2 or len(set(names)) < len(names):
        raise Invalid("name every tied list or candidate, each once", "tied")
    if not chosen or len(set(chosen)) < len(chosen):
        raise Invalid("name the winners the lot gave the seats to, each once", "winners")
    if len(drawn_on) > 64 or len(note) > MAX_NOTE:
        raise Invalid("at most 64 characters for the date, {note} for the note", "note", values={"note": MAX_NOTE})
    return LotDecision(
        kind,
        tuple(names),
        seats,
        tuple(chosen),
        district if kind is TieTier.DISTRICT else None,
        "",
        drawn_on.strip(),
        who.name,
        note.strip(),
    )


def _count(connection: Connection, contest: str, decisions: Sequence[LotDecision] | None = None) -> Result:
    """The contest's council from its running tallies, with these drawings of lots (default: the recorded)."""
    definition = current(connection, contest)
    found = recorded(connection, contest) if decisions is None else tuple(decisions)
    return declare_tabulation(definition.election, tallies.tabulation(connection, definition, contest), found)
