"""A district election commission certifies its district's result; the territorial commission's declaration
rests on those certifications.

Where the day's tree has a district commission for a single-member district (commissions.csv, `district`
level with `contest` and `districts`), that commission establishes the district's result (Constitutional Law
"On Elections", as spec/kazakhstan-2023.md reads it: the district election commission establishes the
result in its district; the territorial commission then declares the mäslihat). Its coordinator certifies
it, and nobody else can (403 `commission` for every other commission, the territorial one included), once
every district-ballot protocol of the district is accepted and no drawing of lots is outstanding there: the
district's winner and its tally, from its stations' accepted protocols (the running tallies), are recorded
and audited. From then on the district's protocols of that ballot are frozen (409 `district-certified`)
until an administrator of the declaring commission withdraws the certification, with a reason, audited.
The contest's certification (`results.certify`) waits for every district that has a district commission
(409 `districts-not-certified`) and carries their certifications in its bundle.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from saylau.composition.districts import DistrictStatus
from saylau.service import audit
from saylau.service.declared import tallied, winners_of
from saylau.service.definition import contest_of, writable
from saylau.service.errors import Conflict, Forbidden, Invalid, NotFound, Term
from saylau.service.permissions import Actor, Permission, require
from saylau.service.states import EntryState
from saylau.store import certifications as store
from saylau.store import commissions as commissions_store
from saylau.store import protocols as protocols_store
from saylau.store.certifications import DistrictCertification
from saylau.store.commissions import StoredCommission


def establishing(connection: Connection, contest: str, district: int) -> StoredCommission | None:
    """The district commission that establishes that district's result, if the tree has one."""
    return next((c for c in commissions_store.tree(connection) if (contest, district) in c.districts), None)


def required(connection: Connection, contest: str) -> dict[int, str]:
    """The districts of a contest whose result a district commission certifies: district -> commission."""
    out: dict[int, str] = {}
    for commission in commissions_store.tree(connection):
        for where, district in commission.districts:
            if where == contest and commission.level == "district":
                out.setdefault(district, commission.id)
    return out


def certify(
    connection: Connection, actor: Actor | None, district: int, contest: str | None = None, seen: str | None = None
) -> dict[str, Any]:
    """The district commission's coordinator certifies its district's result: the winner and tally from the
    accepted protocols of its stations; refused for anyone else, before every protocol is accepted, or while
    a drawing of lots is outstanding in the district. `seen`: the SHA-256 of the result the person confirmed
    (`preview`); a result that changed since is refused, so what is certified is what was shown."""
    contest = contest_of(connection, contest)
    who, commission, made = _certifiable(connection, actor, district, contest)
    if seen is not None and _digest(made) != seen:
        raise Conflict("the district's result changed since it was shown: look at it again", code="changed")
    at = datetime.now(UTC).isoformat(timespec="seconds")
    store.add(connection, DistrictCertification(contest, district, commission.id, made, who.name, at))
    audit.append(connection, who, "certify-district", _subject(contest, district), after=made)
    return {"contest": contest, "district": district, "commission": commission.id, **made, "by": who.name, "at": at}


def preview(connection: Connection, actor: Actor | None, district: int, contest: str | None = None) -> dict[str, Any]:
    """What certifying the district would certify (its winner, its tally, its stations), refused as `certify`
    would refuse it, nothing written; `sha256` identifies it for the confirmation (`certify`'s `seen`)."""
    contest = contest_of(connection, contest)
    _, commission, made = _certifiable(connection, actor, district, contest)
    return {"contest": contest, "district": district, "commission": commission.id, **made, "sha256": _digest(made)}


def _digest(made: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(made, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _certifiable(
    connection: Connection, actor: Actor | None, district: int, contest: str
) -> tuple[Actor, StoredCommission, dict[str, Any]]:
    """Who certifies, for which commission, and the district's result to certify; refused as `certify` says."""
    who = require(actor, Permission.CERTIFY)
    definition = writable(connection, contest)  # 409 `certified` once the contest's result is frozen
    commission = establishing(connection, contest, district)
    if commission is None or commission.level != "district":
        raise NotFound(
            "district {district} of {contest} has no district commission in the tree: its result is certified "
            "with the contest's",
            "district",
            code="no-district-commission",
            values={"district": district, "contest": contest},
        )
    if who.commission is None:
        raise Forbidden(
            "only {commission} certifies district {district} of {contest} (you work for the top of the tree)",
            field="district",
            code="commission",
            values={"commission": commission.id, "district": district, "contest": contest},
        )
    if who.commission.id != commission.id:
        raise Forbidden(
            "only {commission} certifies district {district} of {contest} (your commission: {yours})",
            field="district",
            code="commission",
            values={"commission": commission.id, "district": district, "contest": contest, "yours": who.commission.id},
        )
    if district not in {d.number for d in definition.election.districts}:
        raise NotFound(
            "{contest} has no district {district}", "district", values={"contest": contest, "district": district}
        )
    if district in store.certified(connection, contest):
        raise Conflict(
            "district {district} of {contest} is already certified",
            code="certified",
            values={"district": district, "contest": contest},
        )
    waiting = [
        p
        for p in protocols_store.listing(connection, contest, districts={district})
        if p.ballot == "district" and p.record.state is not EntryState.ACCEPTED
    ]
    if waiting:
        first = waiting[0]
        raise Conflict(
            "{n} protocol of district {district} is not accepted yet (first: station {station}, {state})",
            code="incomplete",
            values={
                "n": len(waiting),
                "district": district,
                "station": first.station,
                "state": Term(first.record.state.value, "state"),
            },
            plural="{n} protocols of district {district} are not accepted yet (first: station {station}, {state})",
        )
    tabulation, result = tallied(connection, contest)
    outcome = next(d for d in result.composition.districts if d.number == district)
    if outcome.status is DistrictStatus.TIE_UNDECIDED:
        raise Conflict(
            "district {district}: {tied} are tied; the drawing of lots is recorded first",
            code="lots-required",
            values={"district": district, "tied": ", ".join(outcome.tied)},
        )
    tally = tabulation.district_tallies[district]
    made: dict[str, Any] = {
        "status": outcome.status.value,
        "winners": winners_of(outcome),
        "votes": dict(tally.votes),
        "against_all": tally.against_all,
        "invalid": tally.invalid,
        "took_part": tally.took_part,
        "registered": tally.registered,
        "stations": sum(
            1 for p in protocols_store.listing(connection, contest, districts={district}) if p.ballot == "district"
        ),
    }
    return who, commission, made


def uncertify(
    connection: Connection, actor: Actor | None, district: int, reason: str, contest: str | None = None
) -> None:
    """Withdraw a district's certification (an administrator of the commission that declares the contest),
    with a reason, audited; its protocols take corrections again."""
    contest = contest_of(connection, contest)
    who = require(actor, Permission.UNCERTIFY, contest=contest)
    writable(connection, contest)
    if not reason.strip():
        raise Invalid("write the reason", "reason")
    found = next((c for c in store.of_contest(connection, contest) if c.district == district), None)
    if found is None:
        raise Conflict(
            "district {district} of {contest} is not certified",
            code="not-certified",
            values={"district": district, "contest": contest},
        )
    store.remove(connection, contest, district)
    audit.append(
        connection, who, "uncertify-district", _subject(contest, district), before=dict(found.result), reason=reason
    )


def listing(connection: Connection, actor: Actor | None, contest: str | None = None) -> list[dict[str, Any]]:
    """Every district of a contest that a district commission certifies: by whom, and its certification."""
    require(actor, Permission.READ_STATES)
    contest = contest_of(connection, contest)
    done = {c.district: c for c in store.of_contest(connection, contest)}
    out = []
    for district, commission in sorted(required(connection, contest).items()):
        found = done.get(district)
        out.append(
            {
                "contest": contest,
                "district": district,
                "commission": commission,
                "certified": found is not None,
                "result": dict(found.result) if found else None,
                "by": found.by if found else None,
                "at": found.at if found else None,
            }
        )
    return out


def frozen(connection: Connection, contest: str) -> frozenset[int]:
    """The districts of a contest whose district-ballot protocols are frozen by a certification."""
    return store.certified(connection, contest)


def frozen_among(connection: Connection, wanted: Collection[tuple[str, int]]) -> frozenset[tuple[str, int]]:
    """Which of the districts `wanted` ((contest, district) each) are frozen by a certification, in one query
    (a group of entries reads its own districts once)."""
    return store.certified_among(connection, wanted)


def refuse_frozen(contest: str, district: int) -> Conflict:
    """The refusal of a change to a protocol of a certified district."""
    return Conflict(
        "district {district} of {contest} is certified by its district commission: nothing of its district "
        "ballot changes unless an administrator withdraws that certification",
        code="district-certified",
        values={"district": district, "contest": contest},
    )


def _subject(contest: str, district: int) -> str:
    return f"district {district} of {contest}"
