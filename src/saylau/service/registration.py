"""Registration in the service: the administrator registers, edits and withdraws lists and district
candidates; the coordinator enters each party's designation of who takes its seats.

The definition stays the folder's own files (service/definition.py): an edit rewrites lists.csv,
candidates.csv, parties.csv or designations.csv in the stored definition, the offline loader reads the
result, and the very checks of `saylau registration check` (`check_registration`) run on it. An edit that
adds a refusal is refused with every new refusal, worded as the CLI words it; one that is accepted is
stored with a new definition hash and audited with the rows before and after. A withdrawn list or
candidate stays on record and takes no seat. Lists and candidates are fixed once protocols are being
entered (the ballots are printed). Once the first protocol is accepted the registration is frozen: a
withdrawal then would contradict the result being counted, so from then on a seat changes hands only
through the vacancy procedure (`saylau vacancy`: dated and audited); designations remain possible until
certification. A withdrawal dated after election day is refused at any time: a candidate withdraws before
the vote, never during the count.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection

from saylau.errors import InputError
from saylau.io.registration_edit import (
    CANDIDATE_COLUMNS,
    LIST_COLUMNS,
    read_rows,
    replace_rows,
    set_designations,
    set_list,
    update_rows,
)
from saylau.registration import Refusal, check_registration
from saylau.reports.registration import refusal_lines, refusal_problem
from saylau.service import audit
from saylau.service.definition import Definition, contest_of, current, digest, load, writable
from saylau.service.errors import BlockingErrors, Conflict, Invalid, LineError, NotFound
from saylau.service.permissions import Actor, Permission, require
from saylau.service.states import EntryState
from saylau.store import contests
from saylau.store import protocols as protocols_store

PARTICULARS = ("date_of_birth", "sex", "disability", "registered")


class RegistrationRefused(BlockingErrors):
    """An edit the registration rules refuse: every new refusal, worded as `saylau registration check` words it."""

    code = "registration-refused"


def registry(connection: Connection, contest: str | None = None) -> dict[str, Any]:
    """The lists and district candidates as registered, with withdrawals, designations and current refusals."""
    contest = contest_of(connection, contest)
    found = current(connection, contest)
    election = found.election
    check = check_registration(election)
    lists = []
    for party in election.parties_in_registration_order:
        lists.append(
            {
                "party": party.short_name,
                "name": party.full_name,
                "withdrawn": _day(election.registration.withdrawn_lists.get(party.short_name)),
                "designated": list(election.designations.get(party.short_name, ())),
                "candidates": [_nominee(n) for n in election.registration.on_list(party.short_name)],
            }
        )
    districts = [
        {
            "number": d.number,
            "candidates": [_nominee(n) for n in election.registration.in_districts() if n.district == d.number],
        }
        for d in election.districts
    ]
    return {
        "lists": lists,
        "districts": districts,
        "refusals": refusal_lines(check, election),
        "open": _open(connection, contest),
        "frozen": _frozen(connection, contest),
        "election_day": _day(election.date),
    }


def register_list(
    connection: Connection,
    actor: Actor,
    party: str,
    candidates: Sequence[Mapping[str, str]],
    contest: str | None = None,
) -> None:
    """Register (or register anew) a party's whole list, candidates in list order."""
    contest, found = _before_edit(connection, actor, Permission.REGISTER, registering=True, contest=contest)
    _party(found, party)
    rows = [_person(c) for c in candidates]
    text = set_list(found.files.get("lists.csv", ""), party, rows)
    _apply(connection, actor, contest, found, {"lists.csv": text}, "register-list", party)


def register_candidate(
    connection: Connection, actor: Actor, district: int, candidate: Mapping[str, str], contest: str | None = None
) -> None:
    """Register one candidate in a district (party: a short name, or empty for self-nominated)."""
    contest, found = _before_edit(connection, actor, Permission.REGISTER, registering=True, contest=contest)
    if all(d.number != district for d in found.election.districts):
        raise NotFound("no district {district}", "district", values={"district": district})
    row = {"district": str(district), "party": candidate.get("party", "") or "self-nominated", **_person(candidate)}
    text = replace_rows(found.files.get("candidates.csv", ""), CANDIDATE_COLUMNS, lambda r: True, [row])
    _apply(connection, actor, contest, found, {"candidates.csv": text}, "register-candidate", f"district {district}")


def edit_candidate(
    connection: Connection,
    actor: Actor,
    where: str | int,
    name: str,
    changes: Mapping[str, str],
    contest: str | None = None,
) -> None:
    """Change a registered candidate's particulars (`where`: the party of a list, or a district number)."""
    contest, found = _before_edit(connection, actor, Permission.REGISTER, registering=True, contest=contest)
    fields = {k: v for k, v in _person({"candidate": name, **changes}).items() if k != "candidate"}
    _update(connection, actor, contest, found, where, name, fields, "edit-candidate")


def withdraw_candidate(
    connection: Connection, actor: Actor, where: str | int, name: str, day: date, contest: str | None = None
) -> None:
    """Withdraw a candidate of a list (`where`: the party) or of a district (its number): on record, no seat."""
    contest, found = _before_edit(connection, actor, Permission.REGISTER, registering=False, contest=contest)
    _may_withdraw(connection, contest, found, day)
    file, _, match = _where(where, name)
    if _withdrawn_before(found.files.get(file, ""), match, "withdrawn", day):
        return
    _update(connection, actor, contest, found, where, name, {"withdrawn": day.isoformat()}, "withdraw-candidate")


def withdraw_list(connection: Connection, actor: Actor, party: str, day: date, contest: str | None = None) -> None:
    """Withdraw a party's whole list: it stays on record and takes no list seat."""
    contest, found = _before_edit(connection, actor, Permission.REGISTER, registering=False, contest=contest)
    _party(found, party)
    _may_withdraw(connection, contest, found, day)
    match = lambda r: r.get("short_name", "").strip() == party  # noqa: E731
    if _withdrawn_before(found.files["parties.csv"], match, "list_withdrawn", day):
        return
    text, _ = update_rows(
        found.files["parties.csv"],
        ("short_name",),
        lambda r: r.get("short_name", "").strip() == party,
        {"list_withdrawn": day.isoformat()},
    )
    _apply(connection, actor, contest, found, {"parties.csv": text}, "withdraw-list", party)


def designate(
    connection: Connection, actor: Actor, party: str, names: Sequence[str], contest: str | None = None
) -> None:
    """The party's designation of who takes its list seats, in its order (coordinator, after the count)."""
    contest, found = _before_edit(connection, actor, Permission.DESIGNATE, registering=False, contest=contest)
    _party(found, party)
    text = set_designations(found.files.get("designations.csv", ""), party, [n.strip() for n in names])
    _apply(connection, actor, contest, found, {"designations.csv": text}, "designate", party)


def _before_edit(
    connection: Connection, actor: Actor, permission: Permission, *, registering: bool, contest: str | None
) -> tuple[str, Definition]:
    """The contest to edit and its definition, after the role, its certification and (for a registration)
    whether its registration is still open."""
    contest = contest_of(connection, contest)
    require(actor, permission, contest=contest)
    found = writable(connection, contest)
    if registering and not _open(connection, contest):
        raise Conflict("registration is closed: protocols are being entered", code="registration-closed")
    return contest, found


def _may_withdraw(connection: Connection, contest: str, found: Definition, day: date) -> None:
    """Refuse a withdrawal dated after election day, and any withdrawal once the registration is frozen."""
    election_day = found.election.date
    if election_day is not None and day > election_day:
        raise Conflict(
            "a candidate withdraws on or before election day ({election_day}); {day} is after it",
            "date",
            code="after-election-day",
            values={"election_day": election_day.isoformat(), "day": day.isoformat()},
        )
    if _frozen(connection, contest):
        raise Conflict(
            "registration is frozen: the first protocol has been accepted; a seat changes hands now only through "
            "the vacancy procedure (saylau vacancy), dated and audited",
            "date",
            code="registration-frozen",
        )


def _frozen(connection: Connection, contest: str) -> bool:
    """The registration is frozen once the first protocol of the contest is accepted (the count stands on it)."""
    return protocols_store.states(connection, contest).get(EntryState.ACCEPTED, 0) > 0


def _open(connection: Connection, contest: str) -> bool:
    """Registration is open until the first protocol entry of the contest (the ballots are printed by then)."""
    return not protocols_store.any_entered(connection, contest)


def _party(found: Definition, party: str) -> None:
    if found.election.party(party) is None:
        raise NotFound("no party {party} in parties.csv", "party", values={"party": party[:64]})


def _person(fields: Mapping[str, str]) -> dict[str, str]:
    """The columns a registration writes: the name and the particulars given (text, as the folder keeps it)."""
    name = (fields.get("candidate") or fields.get("name") or "").strip()
    if not name:
        raise Invalid("a candidate needs a name", "candidate")
    person = {"candidate": name}
    for key in PARTICULARS:
        if key in fields and fields[key] is not None:
            person[key] = str(fields[key]).strip()
    return person


def _update(
    connection: Connection,
    actor: Actor,
    contest: str,
    found: Definition,
    where: str | int,
    name: str,
    changes: Mapping[str, str],
    action: str,
) -> None:
    file, required, match = _where(where, name)
    text, matched = update_rows(found.files.get(file, ""), required, match, changes)
    if not matched:
        if isinstance(where, int):
            raise NotFound("{name} is not registered in district {where}", values={"name": name[:200], "where": where})
        raise NotFound("{name} is not on the list of {where}", values={"name": name[:200], "where": where})
    _apply(connection, actor, contest, found, {file: text}, action, f"{where}: {name}")


def _where(where: str | int, name: str) -> tuple[str, Sequence[str], Callable[[Mapping[str, str]], bool]]:
    """The file of a candidate (`where`: a party's list, or a district's number), its columns and its row."""
    if isinstance(where, int):
        match = lambda r: r.get("district", "").strip() == str(where) and r.get("candidate", "").strip() == name  # noqa: E731
        return "candidates.csv", CANDIDATE_COLUMNS, match
    match = lambda r: r.get("party", "").strip() == where and r.get("candidate", "").strip() == name  # noqa: E731
    return "lists.csv", LIST_COLUMNS, match


def _withdrawn_before(text: str, match: Callable[[Mapping[str, str]], bool], column: str, day: date) -> bool:
    """Whether the rows `match` accepts are already withdrawn on `day` (then a withdrawal changes nothing).

    Withdrawing again on the same day is answered as the first time was, with nothing written or audited
    again; on another day it is refused, since the record already says when.
    """
    rows = [row for row in read_rows(text)[1] if match(row)]
    recorded = {row.get(column, "").strip() for row in rows}
    if not rows or recorded == {""}:
        return False
    if recorded == {day.isoformat()}:
        return True
    on = ", ".join(sorted(d for d in recorded if d))
    raise Conflict("already withdrawn on {on}", "date", code="already-withdrawn", values={"on": on})


def _apply(
    connection: Connection,
    actor: Actor,
    contest: str,
    found: Definition,
    changes: Mapping[str, str],
    action: str,
    subject: str,
) -> None:
    """Load the edited definition, refuse any new registration refusal, store it and audit it."""
    files = {**found.files, **changes}
    try:
        edited = load(files)
    except InputError as error:
        raise BlockingErrors([LineError(p.code, p.field, str(p)) for p in error.problems]) from None
    known = {_key(r) for r in check_registration(found.election).refusals}
    new = [r for r in check_registration(edited.election).refusals if _key(r) not in known]
    if new:
        raise RegistrationRefused(
            [
                LineError(
                    f"registration-{r.rule}",
                    refusal_problem(r, edited.election).field,
                    str(refusal_problem(r, edited.election)),
                )
                for r in new
            ]
        )
    contests.redefine(connection, contest, files, digest(files))
    before = {name: read_rows(found.files.get(name, ""))[1] for name in changes}
    after = {name: read_rows(text)[1] for name, text in changes.items()}
    audit.append(connection, actor, action, subject, before=before, after=after)


def _key(refusal: Refusal) -> tuple[object, ...]:
    """A refusal's identity across an edit: the rule, the list, and who (rows may move)."""
    nominee = refusal.nominee
    return (refusal.rule, refusal.party, nominee.name if nominee else None, nominee.district if nominee else None)


def _nominee(n: Any) -> dict[str, Any]:
    p = n.particulars
    return {
        "name": n.name,
        "party": n.party,
        "position": n.position,
        "district": n.district,
        "date_of_birth": _day(p.date_of_birth),
        "sex": p.sex.value[0] if p.sex else None,  # f or m, as the folder and the API write it
        "disability": p.disability,
        "registered": _day(p.registered),
        "withdrawn": _day(p.withdrawn),
    }


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None
