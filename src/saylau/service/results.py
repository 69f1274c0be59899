"""The count, certification, the results bundle, and the way out to an ordinary election folder.

The service counts with the core the offline tools use (`tabulate`, then `declare`), so a council shown by
the service, by `saylau results` on an exported folder and by `saylau verify` on a bundle is one council.
Certifying freezes the result: every later write is refused until an administrator reopens it.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from saylau.domain import LotDecision
from saylau.errors import Phrase
from saylau.io.decisions import FILE as DECISIONS_FILE
from saylau.io.decisions import decisions_csv, misfit_message
from saylau.result import Result, declare_count
from saylau.service import audit, transfer
from saylau.service import districts as district_service
from saylau.service.decisions import recorded, tie_json
from saylau.service.declared import tallied, winners_of
from saylau.service.definition import DEFAULT_CONTEST, Definition, contest_of, current, load, write_files
from saylau.service.definition import digest as files_digest
from saylau.service.errors import Conflict, Invalid, NotFound, Term
from saylau.service.permissions import Actor, Permission, can, require
from saylau.service.protocols import accepted
from saylau.service.states import EntryState
from saylau.store import certifications as certifications_store
from saylau.store import contests
from saylau.store import protocols as protocols_store
from saylau.store import summaries as summaries_store
from saylau.tabulation import FIGURES, Protocol, Tabulation
from saylau.tabulation.protocol import make_protocol

BUNDLE_FORMAT = "saylau-results-bundle/1"


def count(
    definition: Definition, protocols: Sequence[Protocol], decisions: Sequence[LotDecision] | None = None
) -> tuple[Tabulation, Result]:
    """Tabulate accepted protocols and declare the council, exactly as `saylau results` does; `decisions`: the
    recorded drawings of lots (default: those of the definition, which a results bundle carries)."""
    return declare_count(definition.election, definition.stations, protocols, decisions)


def council(result: Result) -> dict[str, Any]:
    """The council as the bundle records it and `verify` compares it: seats, deputies, districts, ties."""
    composition = result.composition
    return {
        "seats_total": composition.seats_total,
        "majority": composition.majority,
        "majority_holder": composition.majority_holder,
        "parties": [
            {
                "name": p.party,
                "list_votes": p.list_votes,
                "list_seats": p.list_seats,
                "district_seats": p.district_seats,
                "seats": p.seats,
            }
            for p in composition.parties
        ],
        "independents": composition.independents,
        "districts": [
            {"number": d.number, "status": d.status.value, "winner": d.winner.name if d.winner else None}
            for d in composition.districts
        ],
        "deputies": [
            {"name": d.name, "party": d.party, "kind": str(d.kind), "district": d.district}
            for d in composition.deputies
        ],
        "undecided_list_seats": composition.undecided_list_seats,
        "lots_required": lots_required(result),
        "lots_drawn": [
            {k: v for k, v in tie_json(t).items() if k != "text"} for t in result.ties if t.decision is not None
        ],
    }


def lots_required(result: Result) -> list[dict[str, Any]]:
    """Ties the rules leave to the commission: a drawing of lots is required before certification."""
    return [
        {"tier": t.tier.value, "tied": list(t.tied), "seats": t.seats, "votes": list(t.votes)}
        | ({"district": t.district} if t.district is not None else {})
        for t in result.lots_required
    ]


def state(connection: Connection, actor: Actor | None, contest: str | None = None) -> dict[str, Any]:
    """Progress for everyone; the provisional council for staff; the certified council for the public."""
    contest = contest_of(connection, contest)
    definition = current(connection, contest)
    certified = contests.certification(connection, contest).certified
    states = protocols_store.states(connection, contest)
    tabulation, result = tallied(connection, contest)
    out: dict[str, Any] = {
        "contest": contest,
        "election": definition.election.name,
        "status": "certified" if certified else _status(tabulation),
        "certified": certified,
        "progress": {
            b: {"stations_reported": p.stations_reported, "stations_expected": p.stations_expected}
            for b, p in tabulation.progress.items()
        },
        "protocols": {s.value: states.get(s, 0) for s in EntryState},
    }
    if certified or _may_read(actor):
        out["council"] = council(result)
    return out


def standing(
    connection: Connection, actor: Actor | None, contest: str | None = None
) -> tuple[str, str, Result, str | None]:
    """The contest's result as it stands, for the protocol PDF: the contest, its status (partial, complete or
    certified), the result, and the certified bundle's SHA-256 (None before certification). Staff who read
    the count (administrators, coordinators, observers)."""
    require(actor, Permission.READ_COUNT)
    contest = contest_of(connection, contest)
    definition = current(connection, contest)
    found = contests.certification(connection, contest)
    tabulation, result = count(definition, accepted(connection, contest), recorded(connection, contest))
    sha = found.bundle["sha256"] if found.certified and found.bundle else None
    return contest, "certified" if found.certified else _status(tabulation), result, sha


def _status(tabulation: Tabulation) -> str:
    done = tabulation.progress and all(p.status == "complete" for p in tabulation.progress.values())
    return "complete" if done else "partial"


def certify(
    connection: Connection, actor: Actor, contest: str | None = None, seen: str | None = None
) -> dict[str, Any]:
    """Certify a contest: every protocol accepted and no drawing of lots outstanding; freeze and publish the
    bundle. Each contest of the day is certified on its own. `seen`: the SHA-256 of the council the person
    confirmed (`preview`); a count that changed since is refused, so what is certified is what was shown."""
    contest = contest_of(connection, contest)
    require(actor, Permission.CERTIFY, contest=contest)
    # The exclusive lock waits for every write in flight (they hold it shared) and holds off the next ones,
    # so the protocols read below stay as they are until the certification commits.
    definition, protocols, decisions, result = _certifiable(connection, contest, lock=True)
    if seen is not None and digest(council(result)) != seen:
        raise Conflict("the count changed since the council was shown: look at it again", code="changed")
    districts = _districts_certified(connection, contest, result)
    below = [i.bundle for i in summaries_store.imported(connection) if contest in i.bundle.get("contests", {})]
    latest = {b["commission"]: b for b in below}  # a newer bundle of a commission replaces its older ones
    made = bundle(definition, protocols, result, decisions, list(latest.values()), districts)
    contests.certify(connection, contest, made)
    audit.append(connection, actor, "certify", definition.election.name, after={"sha256": made["sha256"]})
    return made


def preview(connection: Connection, actor: Actor, contest: str | None = None) -> dict[str, Any]:
    """What certifying the contest would certify, refused as `certify` would refuse it, nothing written: the
    council (parties' seats, the named deputies) and its SHA-256, which the confirmation sends back."""
    contest = contest_of(connection, contest)
    require(actor, Permission.CERTIFY, contest=contest)
    definition, _, _, result = _certifiable(connection, contest, lock=False)
    _districts_certified(connection, contest, result)
    shown = council(result)
    return {"contest": contest, "election": definition.election.name, "council": shown, "sha256": digest(shown)}


def _certifiable(
    connection: Connection, contest: str, *, lock: bool
) -> tuple[Definition, list[Protocol], list[LotDecision], Result]:
    """The contest's definition, accepted protocols, drawings of lots and council, when it can be certified
    (every protocol accepted, no drawing of lots outstanding or misfitting); Conflict naming why not."""
    found = contests.state(connection, contest, lock="update" if lock else None)
    if found is None:
        raise NotFound("no contest {contest} in this day", "contest", code="contest", values={"contest": contest[:64]})
    if found.certified:
        raise Conflict("the result is already certified", code="certified")
    waiting = protocols_store.not_accepted(connection, contest)
    if waiting:
        station, ballot, where = waiting[0]
        raise Conflict(
            "{n} protocol is not accepted yet (first: station {station}, {ballot}, {state})",
            code="incomplete",
            values={
                "n": len(waiting),
                "station": station,
                "ballot": Term(ballot, "ballot"),
                "state": Term(where.value, "state"),
            },
            plural="{n} protocols are not accepted yet (first: station {station}, {ballot}, {state})",
        )
    definition = current(connection, contest)
    protocols = list(accepted(connection, contest))
    decisions = list(recorded(connection, contest))
    _, result = count(definition, protocols, decisions)
    if result.lots_required:
        raise Conflict(
            "a drawing of lots is required for {n} tie: record its outcome on the page of drawings of lots",
            code="lots-required",
            values={"n": len(result.lots_required)},
            plural="a drawing of lots is required for {n} ties: record their outcomes on the page of drawings of lots",
        )
    if result.misfits:
        misfit = result.misfits[0]
        raise Conflict(
            "a recorded drawing of lots no longer fits the count ({detail}): withdraw it",
            code="decision-misfit",
            values={"detail": misfit_message(misfit)},
        )
    return definition, protocols, decisions, result


def _districts_certified(connection: Connection, contest: str, result: Result) -> list[dict[str, Any]]:
    """The certifications of the contest's districts that have a district commission, each required and each
    with the winners the count gives now (the declaration rests on them)."""
    needed = district_service.required(connection, contest)
    done = {c.district: c for c in certifications_store.of_contest(connection, contest)}
    imported = {  # certified below, in the district commission's own instance: its accepted summary protocol here
        s.key[3]: s
        for s in summaries_store.listing(connection)
        if s.key[1:3] == (contest, "district")
        and s.record.state is EntryState.ACCEPTED
        and needed.get(s.key[3]) == s.key[0]
    }
    missing = sorted(set(needed) - set(done) - set(imported))
    if missing:
        raise Conflict(
            "{n} district is not certified by its district commission yet (first: district {district}, {commission})",
            code="districts-not-certified",
            values={"n": len(missing), "district": missing[0], "commission": needed[missing[0]]},
            plural="{n} districts are not certified by their district commissions yet (first: district {district}, "
            "{commission})",
        )
    outcomes = {d.number: d for d in result.composition.districts}
    out = []
    for district, found in sorted(done.items()):
        outcome = outcomes.get(district)
        now = winners_of(outcome) if outcome is not None else []
        if outcome is None or now != list(found.result.get("winners", [])):
            raise Conflict(
                "district {district}: its commission certified {certified}, the count gives {now}",
                code="district-certification-misfit",
                values={
                    "district": district,
                    "certified": ", ".join(found.result.get("winners", [])),
                    "now": ", ".join(now),
                },
            )
        out.append(
            {"district": district, "commission": found.commission, "winners": now, "by": found.by, "at": found.at}
        )
    for district, summary in sorted(imported.items()):
        if district not in done:
            outcome = outcomes.get(district)
            now = winners_of(outcome) if outcome is not None else []
            out.append(
                {"district": district, "commission": summary.key[0], "winners": now, "bundle": summary.bundle_sha256}
            )
    return sorted(out, key=lambda d: d["district"])


def uncertify(connection: Connection, actor: Actor, reason: str, contest: str | None = None) -> None:
    """Reopen a contest's certified result (administrator only, with a reason, audited)."""
    contest = contest_of(connection, contest)
    require(actor, Permission.UNCERTIFY, contest=contest)
    if not reason.strip():
        raise Invalid("write the reason", "reason")
    row = contests.certification(connection, contest)
    if not row.certified:
        raise Conflict("the result is not certified", code="not-certified")
    before = row.bundle["sha256"] if row.bundle else None
    contests.uncertify(connection, contest)
    subject = "result" if contest == DEFAULT_CONTEST else f"result of {contest}"
    audit.append(connection, actor, "uncertify", subject, before={"sha256": before}, reason=reason.strip())


def certification(connection: Connection, contest: str) -> contests.Certification:
    """Whether a contest's result is certified, and its certified bundle (what a public snapshot shows)."""
    return contests.certification(connection, contest)


def published(connection: Connection, contest: str | None = None) -> dict[str, Any]:
    """A contest's certified results bundle; NotFound before certification."""
    found = contests.certification(connection, contest_of(connection, contest)).bundle
    if not found:
        raise NotFound("the result is not certified yet", code="not-certified")
    return found


def bundle(
    definition: Definition,
    protocols: Sequence[Protocol],
    result: Result,
    decisions: Sequence[LotDecision] = (),
    rests_on: Sequence[Mapping[str, Any]] = (),
    districts_certified: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """Definition (with the recorded drawings of lots as its decisions.csv), rules, every accepted protocol,
    the declared council, the signed bundles of the commissions below it rests on (if any), and a SHA-256 of
    it all."""
    body: dict[str, Any] = {
        "format": BUNDLE_FORMAT,
        "election": definition.election.name,
        "definition": with_decisions(definition.files, decisions),
        "rules": definition.election.system.model_dump(mode="json"),
        "protocols": [protocol_json(p) for p in sorted(protocols, key=lambda p: (p.station, p.ballot))],
        "council": council(result),
    }
    if rests_on:
        body["rests_on"] = list(rests_on)
    if districts_certified:
        body["districts_certified"] = list(districts_certified)
    return {**body, "sha256": digest(body)}


def digest(body: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a bundle without its own `sha256`."""
    content = {k: v for k, v in body.items() if k != "sha256"}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def verify(data: Mapping[str, Any]) -> list[Phrase]:
    """What does not match in a bundle: its hash, or the council recomputed from its definition and protocols
    (each a `Phrase`: English as it reads, kk and ru through the catalogues)."""
    if data.get("format") != BUNDLE_FORMAT:
        found, expected = repr(data.get("format")), repr(BUNDLE_FORMAT)
        return [Phrase("not a results bundle (format {found}, expected {expected})", found=found, expected=expected)]
    shapes = {"definition": dict, "protocols": list, "council": dict, "sha256": str}
    wrong = [key for key, kind in shapes.items() if not isinstance(data.get(key), kind)]
    if wrong:
        return [Phrase("not a results bundle: {fields} missing or of the wrong type", fields=", ".join(wrong))]
    problems = []
    if digest(data) != data.get("sha256"):
        problems.append(Phrase("the SHA-256 does not match the bundle's content: it was changed after certification"))
    definition = load(data["definition"])
    protocols = [protocol_from(p, index) for index, p in enumerate(data["protocols"])]
    _, result = count(definition, protocols)
    problems += [Phrase(IN_FILE, where=DECISIONS_FILE, line=misfit_message(r)) for r in result.misfits]
    problems += _below(data, protocols)
    recomputed = council(result)
    for key, value in recomputed.items():
        if data["council"].get(key) != value:
            said = repr(data["council"].get(key))
            problems.append(Phrase(COUNCIL_DIFFERS, key=key, said=said, recomputed=repr(value)))
    return problems


IN_FILE = "{where}: {line}"
COUNCIL_DIFFERS = "council.{key}: the bundle says {said}, recomputed {recomputed}"
NOT_COUNTED_AS_BELOW = "rests_on[{index}] ({commission}): station {station} {ballot} is not counted as it rests on"
"""Why a bundle does not match (msgids of the catalogues): a place and what is wrong there, the council."""


def _below(data: Mapping[str, Any], protocols: Sequence[Protocol]) -> list[Phrase]:
    """The bundles of the commissions below that a bundle rests on: each signed and whole, and each station
    protocol of this contest they carry counted here with the very same figures (down to the stations)."""
    own = {(p.station, p.ballot): protocol_json(p) for p in protocols}
    files = {k: v for k, v in data["definition"].items() if k != DECISIONS_FILE}
    problems: list[Phrase] = []
    for k, below in enumerate(data.get("rests_on", [])):
        if not isinstance(below, dict):
            problems.append(Phrase("rests_on[{index}] is not a bundle", index=k))
            continue
        name = below.get("commission")
        problems += [Phrase(transfer.RESTS_ON, index=k, commission=name, line=line) for line in transfer.verify(below)]
        contest = next((c for c, sha in below.get("contests", {}).items() if sha == files_digest(files)), None)
        for p in below.get("protocols", []):
            if p.get("contest") != contest:
                continue
            mine, theirs = own.get((p["station"], p["ballot"])), p["figures"]
            if mine is None or any(mine[n] != theirs[n] for n in FIGURES) or mine["votes"] != theirs["votes"]:
                here = {"index": k, "commission": name, "station": p["station"], "ballot": p["ballot"]}
                problems.append(Phrase(NOT_COUNTED_AS_BELOW, **here))
                break
    return problems


def protocol_json(p: Protocol) -> dict[str, Any]:
    """One protocol as the bundle and the API write it."""
    out: dict[str, Any] = {"station": p.station, "district": p.district, "ballot": p.ballot}
    out.update({name: p.figure(name) for name in FIGURES})
    out["votes"] = dict(p.votes)
    return out


def protocol_from(data: Mapping[str, Any], index: int) -> Protocol:
    """A protocol back from `protocol_json`; a malformed one is an Invalid naming its place in the bundle."""
    try:
        return make_protocol(
            int(data["station"]),
            int(data["district"]),
            "list" if data["ballot"] == "list" else "district",
            {name: int(data[name]) for name in FIGURES},
            {str(k): int(v) for k, v in data["votes"].items()},
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise Invalid(
            "protocols[{index}] is not a protocol: {error}",
            f"protocols[{index}]",
            values={"index": index, "error": error},
        ) from None


def export(connection: Connection, out: Path, contest: str | None = None) -> int:
    """Write a contest's state as an election folder (definition + protocols/); returns protocols written."""
    contest = contest_of(connection, contest)
    definition = current(connection, contest)
    protocols = sorted(accepted(connection, contest), key=lambda p: (p.station, p.ballot))
    write_folder(out, with_decisions(definition.files, recorded(connection, contest)), protocols)
    return len(protocols)


def with_decisions(files: Mapping[str, str], decisions: Sequence[LotDecision]) -> dict[str, str]:
    """The definition's files and, when drawings of lots were recorded, their decisions.csv."""
    return {**files, DECISIONS_FILE: decisions_csv(decisions)} if decisions else dict(files)


def write_folder(out: Path, files: Mapping[str, str], protocols: Sequence[Protocol]) -> None:
    """An ordinary election folder that `saylau results` reads: the definition and protocols/service.csv."""
    (out / "protocols").mkdir(parents=True, exist_ok=True)
    write_files(out, files)
    options = list(dict.fromkeys(o for p in protocols for o in p.votes))
    with (out / "protocols" / "service.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["station", "district", "ballot", *FIGURES, *(f"vote:{o}" for o in options)])
        for p in protocols:
            votes = [p.votes.get(o, "") for o in options]
            writer.writerow([p.station, p.district, p.ballot, *(p.figure(n) for n in FIGURES), *votes])


def _may_read(actor: Actor | None) -> bool:
    return can(actor, Permission.READ_COUNT)
