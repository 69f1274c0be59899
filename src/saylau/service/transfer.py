"""Results up the tree: a commission exports a signed bundle of its area; the commission above imports it.

A commission below (a district commission, say) runs its own instance. When every protocol of its area is
accepted it exports a **results bundle of its area** (`export`): the day and contest definitions' hashes,
every accepted protocol of its stations (what it rests on), the bundles it imported itself, a version, a
SHA-256 of all of it, and an Ed25519 signature by the commission's own key (`make_key`).

The commission above imports it (`import_bundle`, `saylau import`). Refused with the reason, and nothing
stored changed, when: it is no bundle; its SHA-256 does not match (a changed file); no key of the sender is
trusted here (`trust`) or the signature does not verify; the sender is not a commission directly below this
one (the wrong commission); its day or contest definitions differ from this day's; its version is not newer
than the last one imported from that sender (stale); or it does not cover exactly the sender's area.
Accepted, it is stored whole, and for each contest, ballot and district its figures become the **first
entry of the sender's summary protocol**; a person here types the paper summary protocol as the second
entry (`enter_summary`). Equal entries accept the summary, and the station protocols it rests on count
here as accepted; different ones wait for a coordinator, who keeps the imported figures or sends the
typed one back (`resolve_summary`). The whole import is one transaction: killed half-way, the database is
as before it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Connection

from saylau.errors import Phrase
from saylau.service import audit, tallies
from saylau.service.definition import digest as files_digest
from saylau.service.definition import writable
from saylau.service.errors import Conflict, Forbidden, Invalid, NotFound, Term
from saylau.service.permissions import Actor, Permission, require
from saylau.service.states import Action, Entry, EntryState, Record, TransitionRefused, apply
from saylau.store import audit as audit_store
from saylau.store import commissions, contests
from saylau.store import protocols as protocols_store
from saylau.store import summaries as store
from saylau.store.commissions import StoredCommission
from saylau.store.summaries import StoredKey, StoredSummary, SummaryKey
from saylau.tabulation import FIGURES

FORMAT = "saylau-area-bundle/1"


class Refused(Conflict):
    """An import refused, with the reason; nothing was stored."""

    code = "bundle-refused"


@dataclass(frozen=True, slots=True)
class Imported:
    """What an accepted import stored: from whom, which version, how many summary protocols wait."""

    commission: str
    version: int
    sha256: str
    summaries: int


def make_key(connection: Connection, commission: str) -> str:
    """Make this commission's Ed25519 key pair (once); its public key (hex), for the commission above."""
    if commissions.find(connection, commission) is None:
        raise NotFound(
            "no commission {commission} in the day's tree", "commission", values={"commission": commission[:64]}
        )
    own = store.own_key(connection)
    if own is not None:
        raise Conflict(
            "this instance already signs as {commission}",
            "commission",
            code="exists",
            values={"commission": own.commission},
        )
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = _public_hex(private.public_key())
    store.save_key(connection, StoredKey(commission, public, pem))
    audit.append(connection, None, "make-key", commission, after={"public_key": public})
    return public


def trust(connection: Connection, commission: str, public_key: str) -> None:
    """Trust a commission's public key (hex, as its `saylau keys new` printed it) for the bundles it sends."""
    if commissions.find(connection, commission) is None:
        raise NotFound(
            "no commission {commission} in the day's tree", "commission", values={"commission": commission[:64]}
        )
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key))
    except ValueError:
        raise Invalid("is not an Ed25519 public key (64 hexadecimal digits)", "public_key") from None
    store.save_key(connection, StoredKey(commission, public_key.lower(), None))
    audit.append(connection, None, "trust-key", commission, after={"public_key": public_key.lower()})


def export(connection: Connection, actor: Actor | None = None) -> dict[str, Any]:
    """This commission's signed results bundle of its area; Conflict while a protocol of it is not accepted."""
    if actor is not None:
        require(actor, Permission.CERTIFY)
    own = store.own_key(connection)
    if own is None or own.private_key is None:
        raise Conflict("this commission has no key yet: saylau keys new --commission ID", code="no-key")
    commission = _commission(connection, own.commission)
    if commission.parent is None:
        raise Conflict(
            "{commission} is the top of the tree: there is nobody to send a bundle to",
            code="top",
            values={"commission": commission.id},
        )
    found = protocols_store.listing(connection, stations=commission.stations)
    waiting = [p for p in found if p.record.state is not EntryState.ACCEPTED]
    if waiting:
        first = waiting[0]
        raise Conflict(
            "{n} protocol of the area is not accepted yet (first: station {station}, {contest}, {ballot}, {state})",
            code="incomplete",
            values={
                "n": len(waiting),
                "station": first.station,
                "contest": first.contest,
                "ballot": Term(first.ballot, "ballot"),
                "state": Term(first.record.state.value, "state"),
            },
            plural="{n} protocols of the area are not accepted yet (first: station {station}, {contest}, {ballot}, "
            "{state})",
        )
    day = contests.stored_day(connection)
    assert day is not None
    counted = sorted({p.contest for p in found})
    version = audit_store.version(connection) + 1  # the number of the audit row this export appends
    body: dict[str, Any] = {
        "format": FORMAT,
        "day": day.name,
        "day_sha256": day.sha256,
        "commission": commission.id,
        "parent": commission.parent,
        "version": version,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "contests": {c: _definition_sha(connection, c) for c in counted},
        "protocols": [
            {
                "station": p.station,
                "contest": p.contest,
                "ballot": p.ballot,
                "district": p.district,
                "figures": dict(p.record.definitive.figures) if p.record.definitive else {},
            }
            for p in found
        ],
        "rests_on": [i.bundle for i in store.imported(connection) if i.commission != commission.id],
    }
    sha = digest(body)
    private = serialization.load_pem_private_key(own.private_key.encode(), password=None)
    assert isinstance(private, Ed25519PrivateKey)
    made = {**body, "sha256": sha, "signature": private.sign(sha.encode()).hex(), "public_key": own.public_key}
    audit.append(connection, actor, "export-bundle", commission.id, after={"version": version, "sha256": sha})
    return made


def digest(body: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a bundle without its hash, signature and key."""
    content = {k: v for k, v in body.items() if k not in ("sha256", "signature", "public_key")}
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def import_bundle(connection: Connection, data: Any, actor: Actor | None = None) -> Imported:
    """Check a bundle from the commission below and store it; Refused with the reason (nothing stored)."""
    if actor is not None:
        require(actor, Permission.RESOLVE)
    if all(c.certified for c in contests.every(connection)):
        raise Conflict(
            "the result is certified: nothing can change unless an administrator reopens it", code="certified"
        )
    sender = _checked(connection, data)
    for contest in data["contests"]:
        writable(connection, contest)  # 409 `certified` while this commission's result of it is frozen
    sha = data["sha256"]
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    store.add_import(connection, sender.id, data["version"], sha, text, datetime.now(UTC).isoformat(timespec="seconds"))
    made = [
        StoredSummary(key, Record(EntryState.FIRST_ENTRY, first=Entry(figures, f"import:{sender.id}")), sha)
        for key, figures in sorted(_summaries(sender.id, data["protocols"]).items())
    ]
    store.replace_all(connection, sender.id, made)
    reset = _reset(connection, data["protocols"])
    after = {"version": data["version"], "sha256": sha, "summaries": len(made)}
    audit.append(connection, actor, "import-bundle", sender.id, after=after)
    tallies.record(connection, reset)
    return Imported(sender.id, data["version"], sha, len(made))


def check(connection: Connection, data: Any) -> list[str]:
    """Why a bundle would be refused here (empty: it would be imported); nothing is changed."""
    try:
        _checked(connection, data)
    except Refused as refused:
        return [refused.message]
    return []


def _checked(connection: Connection, data: Any) -> StoredCommission:
    """The sending commission of a bundle that may be imported here; Refused naming the first reason not, in
    the order a receiving commission checks a paper report: its form, its seal, who signed it, whether that
    commission reports here, for this day and these contests, whether it is newer, and whether it covers the
    sender's whole area."""
    _is_a_bundle(data)
    if digest(data) != data["sha256"]:
        raise Refused("its SHA-256 does not match its content: the file was changed after it was signed", "sha256")
    sender = _signed_by(connection, data)
    _reports_here(connection, sender, data)
    _made_for_this_day(connection, data)
    _newer(connection, sender, data)
    _covers_its_area(connection, sender, data)
    return sender


def _is_a_bundle(data: Any) -> None:
    """A results bundle of an area: its format, and every field of the right kind."""
    shape = {"format": str, "commission": str, "parent": str, "version": int, "contests": dict, "protocols": list}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise Refused(
            "not a results bundle of an area (format {found}, expected {expected})",
            "format",
            values={"found": repr(found)[:80], "expected": FORMAT},
        )
    wrong = [k for k, kind in shape.items() if not isinstance(data.get(k), kind)]
    if wrong or not all(isinstance(data.get(k), str) for k in ("sha256", "signature", "public_key", "day_sha256")):
        raise Refused(
            "not a results bundle: {fields} missing or wrong",
            "format",
            values={"fields": ", ".join(wrong) or "sha256, signature"},
        )


def _signed_by(connection: Connection, data: dict[str, Any]) -> StoredCommission:
    """The commission of this day that signed the bundle with the key trusted here."""
    sender = commissions.find(connection, data["commission"])
    if sender is None:
        raise Refused(
            "it comes from {commission}, which is no commission of this day",
            "commission",
            values={"commission": str(data["commission"])[:64]},
        )
    trusted = store.key_of(connection, sender.id)
    if trusted is None:
        raise Refused(
            "no key of {commission} is trusted here (saylau keys trust {commission} KEY)",
            "public_key",
            values={"commission": sender.id},
        )
    if trusted.public_key != data["public_key"] or not _verifies(trusted.public_key, data["sha256"], data["signature"]):
        raise Refused(
            "its signature is not that of {commission}: it was not signed with the key trusted here",
            "signature",
            values={"commission": sender.id},
        )
    return sender


def _reports_here(connection: Connection, sender: StoredCommission, data: dict[str, Any]) -> None:
    """The sender reports to this commission (as stored, and as the bundle says)."""
    own = store.own_key(connection)
    here = own.commission if own else None
    if sender.parent != here or data["parent"] != here:
        raise Refused(
            "it comes from the wrong commission: {commission} reports to {parent}, this is {here}",
            "commission",
            values={"commission": sender.id, "parent": str(sender.parent), "here": str(here)},
        )


def _made_for_this_day(connection: Connection, data: dict[str, Any]) -> None:
    """The bundle was made from this day's definition, and each contest's definition is this day's."""
    day = contests.stored_day(connection)
    if day is None or data["day_sha256"] != day.sha256:
        raise Refused("it was made for another day: the day's definition differs", "day_sha256")
    for contest, sha in data["contests"].items():
        if _definition_sha(connection, contest) != sha:
            raise Refused(
                "its definition of {contest} differs from this day's",
                f"contests.{contest}",
                values={"contest": contest[:64]},
            )


def _newer(connection: Connection, sender: StoredCommission, data: dict[str, Any]) -> None:
    """A later version than the last one imported from the sender."""
    last = store.last_version(connection, sender.id)
    if data["version"] <= last:
        raise Refused(
            "it is stale: version {version}, and version {last} was imported already",
            "version",
            values={"version": data["version"], "last": last},
        )


def _covers_its_area(connection: Connection, sender: StoredCommission, data: dict[str, Any]) -> None:
    """Every protocol is one, and together they are exactly the protocols of the sender's stations."""
    expected = {
        (p.station, p.contest, p.ballot, p.district)
        for p in protocols_store.listing(connection, stations=sender.stations)
    }
    given = set()
    for k, p in enumerate(data["protocols"]):
        try:
            given.add((int(p["station"]), str(p["contest"]), str(p["ballot"]), int(p["district"])))
            _figures(p["figures"])
        except (KeyError, TypeError, ValueError):
            raise Refused("protocols[{index}] is not a protocol", f"protocols[{k}]", values={"index": k}) from None
    if given != expected:
        raise _not_its_area(sender.id, sorted(expected - given), sorted(given - expected))


def _not_its_area(commission: str, missing: list[tuple[Any, ...]], extra: list[tuple[Any, ...]]) -> Refused:
    """The refusal of a bundle whose protocols are not exactly its commission's area: the first one off."""
    odd = (missing or extra)[0]
    values = {"commission": commission, "station": odd[0], "contest": odd[1], "ballot": Term(odd[2], "ballot")}
    if missing:
        return Refused(
            "it does not cover exactly the area of {commission}: station {station}, {contest}, {ballot} is missing",
            "protocols",
            values=values,
        )
    return Refused(
        "it does not cover exactly the area of {commission}: station {station}, {contest}, {ballot} is not of its area",
        "protocols",
        values=values,
    )


def enter_summary(connection: Connection, actor: Actor, key: SummaryKey, figures: Mapping[str, Any]) -> EntryState:
    """The paper summary protocol typed as the second entry; equal to the imported one, it is accepted."""
    found = _summary_for(connection, actor, key, Permission.ENTER)
    entry = Entry(_figures(figures), actor.name)
    try:
        after = apply(found.record, Action.ENTER, entry=entry, by=actor.name)
    except TransitionRefused as refused:
        raise _refused(refused) from None
    return _settle(connection, actor, found, after, Action.ENTER)


def resolve_summary(connection: Connection, actor: Actor, key: SummaryKey, action: Action) -> EntryState:
    """A coordinator keeps the imported figures, or discards the typed paper summary to have it typed again.

    Keeping the typed figures is refused: the imported ones are the sum of the station protocols the bundle
    rests on, and a different paper summary means the paper or the bundle must be corrected."""
    if action not in (Action.KEEP_FIRST, Action.DISCARD_SECOND):
        raise Invalid("a summary is resolved by keep-first or discard-second", "action")
    found = _summary_for(connection, actor, key, Permission.RESOLVE)
    try:
        after = apply(found.record, action, by=actor.name)
    except TransitionRefused as refused:
        raise _refused(refused) from None
    return _settle(connection, actor, found, after, action)


def _refused(refused: TransitionRefused) -> TransitionRefused:
    """The state machine's refusal, pointing at the summary (answered 409, said in the caller's language from
    its state and action, as a station protocol's is)."""
    return TransitionRefused(str(refused), "summary", state=refused.state, action=refused.action)


@dataclass(frozen=True, slots=True)
class SummaryForm:
    """What the paper summary protocol of a commission below asks for: its lines in the paper's order and its
    options (the contest's parties, or the district's candidates), and where it stands; never the imported
    figures, which the person typing must not see."""

    key: SummaryKey
    lines: tuple[str, ...]
    options: tuple[str, ...]
    state: EntryState
    typed_by: str | None


def summary_form(connection: Connection, actor: Actor, key: SummaryKey) -> SummaryForm:
    """The form of one summary protocol, for someone who may type it (its commission's area above)."""
    from saylau.service.definition import current

    found = _summary_for(connection, actor, key, Permission.ENTER)
    definition = current(connection, key[1])
    election = definition.election
    if key[2] == "list":
        options = tuple(p.short_name for p in election.parties_in_registration_order)
    else:
        district = next((d for d in election.districts if d.number == key[3]), None)
        options = tuple(c.name for c in district.candidates) if district else ()
    imported = dict(found.record.first.figures.get("votes") or {}) if found.record.first else {}  # type: ignore[call-overload]
    options += tuple(str(o) for o in imported if o not in options)  # an option only the bundle names, still typed
    second = found.record.second
    return SummaryForm(key, FIGURES, options, found.record.state, second.by if second else None)


def summary_entries(connection: Connection, actor: Actor, key: SummaryKey) -> dict[str, Any]:
    """Both entries of a summary protocol side by side, for a coordinator resolving a difference."""
    found = _summary_for(connection, actor, key, Permission.RESOLVE)
    first, second = found.record.first, found.record.second
    lines: list[tuple[str, Any, Any]] = []
    if first is not None and second is not None:
        a, b = first.figures, second.figures
        lines = [(n, a.get(n), b.get(n)) for n in FIGURES]
        votes_a, votes_b = dict(a.get("votes") or {}), dict(b.get("votes") or {})  # type: ignore[call-overload]
        options = list(dict.fromkeys([*votes_a, *votes_b]))
        lines += [(f"vote:{o}", votes_a.get(o), votes_b.get(o)) for o in options]
    return {
        "state": found.record.state.value,
        "lines": lines,
        "typed_by": second.by if second else None,
        "bundle_sha256": found.bundle_sha256,
    }


def listing(connection: Connection, actor: Actor | None) -> list[dict[str, Any]]:
    """The summary protocols of the commissions below, with their states."""
    require(actor, Permission.READ_STATES)
    return [
        {
            "commission": s.key[0],
            "contest": s.key[1],
            "ballot": s.key[2],
            "district": s.key[3],
            "state": s.record.state.value,
            "bundle_sha256": s.bundle_sha256,
        }
        for s in store.listing(connection)
    ]


def _summary_for(connection: Connection, actor: Actor, key: SummaryKey, permission: Permission) -> StoredSummary:
    require(actor, permission)
    writable(connection, key[1])
    found = store.find(connection, key, lock=True)
    if found is None:
        raise NotFound(
            "no summary protocol of {commission} for {contest}, {ballot}, district {district}",
            "summary",
            values={"commission": key[0], "contest": key[1], "ballot": Term(key[2], "ballot"), "district": key[3]},
        )
    sender = _commission(connection, key[0])
    if actor.commission is not None and not sender.stations <= actor.commission.stations:
        raise Forbidden(
            "{commission} is not below your commission ({yours})",
            code="commission",
            values={"commission": sender.id, "yours": actor.commission.id},
        )
    return found


def _settle(connection: Connection, actor: Actor, found: StoredSummary, after: Record, action: Action) -> EntryState:
    store.save(connection, found.key, after)
    subject = f"summary of {found.key[0]} {found.key[1]} {found.key[2]} district {found.key[3]}"
    audit.append(connection, actor, f"summary-{action.value}", subject, after={"state": after.state.value})
    if after.state is EntryState.WARNINGS:  # a summary has no checks of its own: its stations' were made below
        after = apply(after, Action.ACCEPT_WARNINGS)
        store.save(connection, found.key, after)
    if after.state is EntryState.ACCEPTED:
        _count_stations(connection, found)
    return after.state


def _count_stations(connection: Connection, summary: StoredSummary) -> None:
    """An accepted summary: the station protocols its bundle carries count here, accepted as they were below."""
    (bundle,) = store.imported(connection, summary.bundle_sha256)
    sender, contest, ballot, district = summary.key
    records = {}
    districts = {}
    for p in bundle.bundle["protocols"]:
        if (p["contest"], p["ballot"]) == (contest, ballot) and (ballot == "list" or p["district"] == district):
            entry = Entry(p["figures"], f"import:{sender}")
            records[(p["station"], contest, ballot)] = Record(EntryState.ACCEPTED, entry, entry, entry)
            districts[(p["station"], contest, ballot)] = int(p["district"])
    before = protocols_store.lock_all(connection, records)
    protocols_store.save_all(connection, records)
    tallies.record(
        connection, (tallies.Moved(k, districts[k], before[k], r) for k, r in records.items() if k in before)
    )


def _reset(connection: Connection, protocols: Sequence[Mapping[str, Any]]) -> list[tallies.Moved]:
    """A newer bundle replaces an older one: the station protocols counted from the older wait again (the
    running tallies move once the import's audit row is appended)."""
    keys = {(int(p["station"]), str(p["contest"]), str(p["ballot"])): int(p["district"]) for p in protocols}
    stale = {k: r for k, r in protocols_store.lock_all(connection, keys).items() if r.state is not EntryState.EMPTY}
    protocols_store.save_all(connection, {k: Record() for k in stale})
    return [tallies.Moved(k, keys[k], r, Record()) for k, r in stale.items()]


def _summaries(sender: str, protocols: Sequence[Mapping[str, Any]]) -> dict[SummaryKey, dict[str, Any]]:
    """Per contest, ballot and district (0 for the list ballot), the sum of the stations' figures."""
    out: dict[SummaryKey, dict[str, Any]] = {}
    for p in protocols:
        district = 0 if p["ballot"] == "list" else int(p["district"])
        total = out.setdefault((sender, p["contest"], p["ballot"], district), {n: 0 for n in FIGURES} | {"votes": {}})
        for name in FIGURES:
            total[name] += int(p["figures"][name])
        for option, votes in p["figures"]["votes"].items():
            total["votes"][option] = total["votes"].get(option, 0) + int(votes)
    return out


def _figures(figures: Any) -> dict[str, Any]:
    """Figures as a summary or a protocol holds them: every line and `votes`, whole numbers; Invalid if not."""
    if not isinstance(figures, Mapping) or not isinstance(figures.get("votes"), Mapping):
        raise Invalid("figures need every line and votes", "figures")
    out: dict[str, Any] = {}
    for name in FIGURES:
        value = figures.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise Invalid("must be a whole number", name)
        out[name] = value
    votes = {}
    for option, value in figures["votes"].items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise Invalid("must be a whole number", f"votes.{option}")
        votes[str(option)] = value
    out["votes"] = votes
    return out


def verify(data: Any) -> list[Phrase]:
    """What does not hold in an area bundle on its own: its hash, its signature by the key it names, and each
    bundle it rests on (recursively), whose station protocols must be this bundle's own figures (each a
    `Phrase`: English as it reads, kk and ru through the catalogues)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return [Phrase("not a results bundle of an area")]
    problems = []
    if digest(data) != data.get("sha256"):
        problems.append(Phrase("the SHA-256 does not match the bundle's content: it was changed"))
    elif not _verifies(str(data.get("public_key")), str(data["sha256"]), str(data.get("signature"))):
        problems.append(Phrase("the signature does not verify with the key the bundle names"))
    own = {(p["station"], p["contest"], p["ballot"]): p["figures"] for p in data.get("protocols", [])}
    for k, below in enumerate(data.get("rests_on", [])):
        name = below.get("commission")
        problems += [Phrase(RESTS_ON, index=k, commission=name, line=line) for line in verify(below)]
        for p in below.get("protocols", []):
            if own.get((p["station"], p["contest"], p["ballot"])) != p["figures"]:
                here = {"station": p["station"], "contest": p["contest"], "ballot": p["ballot"]}
                problems.append(Phrase(DIFFERS_BELOW, index=k, commission=name, **here))
                break
    return problems


RESTS_ON = "rests_on[{index}] ({commission}): {line}"
DIFFERS_BELOW = (
    "rests_on[{index}] ({commission}): station {station} {contest} {ballot} differs from the figures it rests on"
)
"""A bundle below and what does not hold in it (msgids of the catalogues)."""


def _verifies(public_key: str, sha256: str, signature: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(bytes.fromhex(signature), sha256.encode())
    except (InvalidSignature, ValueError):
        return False
    return True


def _public_hex(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def _commission(connection: Connection, commission: str) -> StoredCommission:
    found = commissions.find(connection, commission)
    if found is None:
        raise NotFound(
            "no commission {commission} in the day's tree", "commission", values={"commission": commission[:64]}
        )
    return found


def _definition_sha(connection: Connection, contest: str) -> str | None:
    found = contests.files(connection, contest)
    return None if found is None else files_digest(found)
