"""The JSON API under /api/: one thin route per use case of `saylau.service` (docs/service.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Response
from pydantic import BaseModel, ConfigDict, Field, StrictInt
from sqlalchemy import Connection

from saylau.reports.checks import title
from saylau.service import audit, definition, protocols, registration, results, users
from saylau.service import districts as district_service
from saylau.service import publication as publication_service
from saylau.service.errors import ServiceError, Unauthenticated
from saylau.service.permissions import Permission, Role, require
from saylau.service.states import Action, EntryState
from saylau.store import Database
from saylau.web.bounds import MAX_NUMBER, PathNumber, QueryNumber, request_language, say
from saylau.web.context import COOKIE, ContextDep, Credentials, client_address, set_cookie
from saylau.web.typed import typed_warnings

router = APIRouter(prefix="/api")

Ballot = Literal["list", "district"]
Resolution = Literal["keep-first", "keep-second", "discard-first", "discard-second", "discard-both"]
Contest = Annotated[str | None, Query(max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")]
"""`?contest=ID`: which contest of the day (docs/service.md); left out, the day's only contest."""


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginIn(_Body):
    name: str = Field(max_length=64)
    password: str = Field(max_length=256)


class SessionOut(BaseModel):
    token: str
    csrf: str
    name: str
    role: Role
    districts: list[int]


class EntryIn(_Body):
    """One operator's typing of a protocol: its numbered lines and the votes per option."""

    registered: StrictInt
    received: StrictInt
    issued: StrictInt
    issued_absentee: StrictInt
    issued_outside: StrictInt
    cancelled: StrictInt
    found: StrictInt
    invalid: StrictInt
    against_all: StrictInt
    votes: dict[str, StrictInt]


class StateOut(BaseModel):
    state: EntryState


class ResolveIn(_Body):
    action: Resolution
    reason: str = Field(default="", max_length=2000)
    """Required to discard an entry (the audit log keeps it)."""


class ReasonIn(_Body):
    reason: str = Field(max_length=2000)


class UserIn(_Body):
    name: str = Field(max_length=64)
    password: str = Field(max_length=256)
    role: Role
    districts: list[Annotated[int, Field(ge=1, le=MAX_NUMBER)]] = Field(default_factory=list, max_length=10_000)
    commission: str | None = Field(default=None, max_length=64)


class UserOut(BaseModel):
    name: str
    role: Role
    districts: list[int]
    active: bool
    commission: str | None = None


@router.post("/login", response_model=SessionOut)
def login(body: LoginIn, context: ContextDep, response: Response) -> SessionOut:
    """Log in; the session comes back as a cookie (browsers) and as a bearer token (programs)."""
    with context.unit_of_work() as connection:
        idle = context.request.app.state.settings.session_idle
        session = users.login(connection, body.name, body.password, client=client_address(context.request), idle=idle)
    if session is None:
        raise Unauthenticated("wrong name or password", "password", code="login-failed", values={})
    set_cookie(context.request, response, COOKIE, session.token)
    actor = session.actor
    return SessionOut(
        token=session.token, csrf=session.csrf, name=actor.name, role=actor.role, districts=sorted(actor.districts)
    )


@router.post("/logout")
def logout(context: ContextDep, response: Response) -> dict[str, str]:
    """End the session (a session already ended is fine)."""
    with context.unit_of_work() as connection:
        try:
            found = context.session(connection)
        except Unauthenticated:
            found = None
        if found is not None:
            users.logout(connection, found.token)
    response.delete_cookie(COOKIE)
    return {"status": "logged out"}


@router.get("/me")
def me(context: ContextDep) -> dict[str, Any]:
    """Who is logged in."""
    with context.unit_of_work() as connection:
        actor = context.user(connection)
    commission = actor.commission.id if actor.commission else None
    return {
        "name": actor.name,
        "role": actor.role.value,
        "districts": sorted(actor.districts),
        "commission": commission,
    }


@router.get("/day")
def day(context: ContextDep) -> dict[str, Any]:
    """The election day: its name and its contests in order, each with its id, name and certification (public)."""
    with context.unit_of_work() as connection:
        found = definition.day(connection)
    return {
        "name": found.name,
        "contests": [{"id": c.id, "name": c.name, "certified": c.certified} for c in found.contests],
    }


@router.get("/stations/{station}")
def station(station: PathNumber, context: ContextDep) -> dict[str, Any]:
    """A polling station as its clerk opens it once: every protocol it enters, contest by contest, ballot by
    ballot, with their states (operators of its commission)."""
    with context.unit_of_work() as connection:
        found = protocols.station(connection, context.user(connection), station)
    return {"station": station, "protocols": found}


@router.get("/election")
def election(context: ContextDep, contest: Contest = None) -> dict[str, Any]:
    """A contest's definition as the forms need it: parties, districts and their candidates (public)."""
    with context.unit_of_work() as connection:
        contest = definition.contest_of(connection, contest)
        found = definition.current(connection, contest)
    e = found.election
    return {
        "contest": contest,
        "name": e.name,
        "seats": e.body.seats,
        "parties": [p.short_name for p in e.parties_in_registration_order],
        "districts": [{"number": d.number, "candidates": [c.name for c in d.candidates]} for d in e.districts],
        "stations": len(found.stations),
    }


@router.get("/status")
def status(context: ContextDep, contest: Contest = None) -> dict[str, Any]:
    """A contest's progress for everyone; the council for staff, and for the public once certified."""
    with context.unit_of_work() as connection:
        return results.state(connection, context.actor(connection), contest)


@router.get("/protocols")
def protocol_list(
    context: ContextDep,
    state: Annotated[EntryState | None, Query()] = None,
    district: Annotated[int | None, Query(ge=1, le=MAX_NUMBER)] = None,
    contest: Contest = None,
) -> list[dict[str, Any]]:
    """The protocols of the caller's commission with their states (operators: states only); of one contest, or
    of every contest of the day when none is named."""
    with context.unit_of_work() as connection:
        actor = context.user(connection)
        wanted = state.value if state else None
        found = protocols.listing(connection, actor, state=wanted, district=district, contest=contest)
    return [_worded(p, request_language(context.request)) for p in found]


@router.get("/protocols/{station}/{ballot}")
def protocol(station: PathNumber, ballot: Ballot, context: ContextDep, contest: Contest = None) -> dict[str, Any]:
    """One protocol; coordinators and observers also see both entries and where they differ."""
    with context.unit_of_work() as connection:
        found = protocols.view(connection, context.user(connection), station, ballot, contest)
    return _worded(found, request_language(context.request))


def _worded(protocol: dict[str, Any], lang: str) -> dict[str, Any]:
    """A protocol of the API with its warnings' short titles in the caller's language (`?lang=`, else
    `Accept-Language`)."""
    protocol["warnings"] = [{"code": w["code"], "message": title(w["code"], lang)} for w in protocol["warnings"]]
    return protocol


@router.get("/protocols/{station}/{ballot}/form")
def protocol_form(station: PathNumber, ballot: Ballot, context: ContextDep, contest: Contest = None) -> dict[str, Any]:
    """What the paper form asks for: its lines in order, the options, the station's registered voters."""
    with context.unit_of_work() as connection:
        found = protocols.form(connection, context.user(connection), station, ballot, contest)
    return {
        "contest": found.contest,
        "station": found.station,
        "district": found.district,
        "ballot": found.ballot,
        "lines": list(found.lines),
        "options": list(found.options),
        "registered": found.registered,
    }


@router.post("/protocols/{station}/{ballot}/entries", response_model=StateOut)
async def enter(
    station: PathNumber,
    ballot: Ballot,
    body: EntryIn,
    context: ContextDep,
    contest: Contest = None,
    idempotency_key: Annotated[str | None, Header(max_length=64)] = None,
) -> StateOut:
    """An operator's entry (first or second); 422 `blocking-errors` lists P00x line by line.

    Entries arriving together are stored in one transaction (group commit, `saylau.store.group`); each is
    answered once the transaction holding it has committed. Idempotent: the same entry again, or any entry
    with an `Idempotency-Key` this operator's entry of the protocol already used, answers the saved state.
    """
    credentials = context.credentials()
    return await submit_entry(context.database, credentials, station, ballot, body, contest, idempotency_key)


async def submit_entry(
    database: Database,
    credentials: Credentials,
    station: int,
    ballot: str,
    body: EntryIn,
    contest: str | None,
    idempotency_key: str | None,
) -> StateOut:
    """What `enter` does once FastAPI has read the request; the entry fast path (`saylau.web.entry_path`) calls
    it for the same request read without FastAPI."""
    typed = (credentials, station, ballot, body.model_dump(), contest, idempotency_key or None)
    return StateOut(state=await database.group(_enter_together).submit(typed))


Typed = tuple[Credentials, int, str, dict[str, Any], str | None, str | None]


def _enter_together(connection: Connection, typed: Sequence[Typed]) -> list[EntryState | Exception]:
    """Entries that arrived together: their sessions in one query, then `protocols.enter_all`, in order."""
    found = users.sessions_of(connection, {c.token for c, *_ in typed if c.token})
    typings: list[protocols.Typing | Exception] = []
    for credentials, station, ballot, figures, contest, key in typed:
        try:
            actor = credentials.user(found.get(credentials.token or ""))
            typings.append(protocols.Typing(actor, station, ballot, figures, contest, key))
        except ServiceError as refused:
            typings.append(refused)
    return protocols.enter_all(connection, typings)


class DraftIn(_Body):
    """What an operator has typed so far into a protocol's form: field (a line, `vote:<option>`) -> text."""

    typed: dict[Annotated[str, Field(max_length=200)], Annotated[str, Field(max_length=64)]] = Field(max_length=500)


@router.get("/protocols/{station}/{ballot}/draft")
def draft_read(station: PathNumber, ballot: Ballot, context: ContextDep, contest: Contest = None) -> dict[str, Any]:
    """The caller's own entry in progress of a protocol ({} when none): an operator of its commission only."""
    with context.unit_of_work() as connection:
        return {"typed": protocols.read_draft(connection, context.user(connection), station, ballot, contest)}


@router.put("/protocols/{station}/{ballot}/draft")
def draft_save(
    station: PathNumber, ballot: Ballot, body: DraftIn, context: ContextDep, contest: Contest = None
) -> dict[str, Any]:
    """Save the caller's entry in progress as typed (never an entry: nothing counts or exports it); with the
    warnings its figures raise once every line is typed (`warnings`, in the caller's language, and `seen`, which
    the form sends back with its finalise: the warnings were shown)."""
    with context.unit_of_work() as connection:
        actor = context.user(connection)
        protocols.save_draft(connection, actor, station, ballot, body.typed, contest)
        found = protocols.form(connection, actor, station, ballot, contest)
        warned = typed_warnings(connection, actor, found, body.typed, request_language(context.request))
    return {"saved": True, "warnings": warned.shown, "seen": warned.seen}


@router.delete("/protocols/{station}/{ballot}/draft")
def draft_discard(station: PathNumber, ballot: Ballot, context: ContextDep, contest: Contest = None) -> dict[str, Any]:
    """Delete the caller's entry in progress of a protocol."""
    with context.unit_of_work() as connection:
        protocols.discard_draft(connection, context.user(connection), station, ballot, contest)
    return {"deleted": True}


@router.post("/protocols/{station}/{ballot}/resolve", response_model=StateOut)
def resolve(
    station: PathNumber, ballot: Ballot, body: ResolveIn, context: ContextDep, contest: Contest = None
) -> StateOut:
    """The coordinator keeps one entry, or discards one or both, in one step."""
    with context.unit_of_work() as connection:
        actor = context.user(connection)
        chosen = Action(body.action)
        return StateOut(state=protocols.resolve(connection, actor, station, ballot, chosen, contest, body.reason))


@router.post("/protocols/{station}/{ballot}/accept-warnings", response_model=StateOut)
def accept_warnings(
    station: PathNumber, ballot: Ballot, body: ReasonIn, context: ContextDep, contest: Contest = None
) -> StateOut:
    """The coordinator accepts what the checks warn about, in writing."""
    with context.unit_of_work() as connection:
        actor = context.user(connection)
        return StateOut(state=protocols.accept_warnings(connection, actor, station, ballot, body.reason, contest))


@router.post("/protocols/{station}/{ballot}/reopen", response_model=StateOut)
def reopen(
    station: PathNumber, ballot: Ballot, body: ReasonIn, context: ContextDep, contest: Contest = None
) -> StateOut:
    """The coordinator reopens a protocol, with a reason; the audit log keeps the figures it replaces."""
    with context.unit_of_work() as connection:
        actor = context.user(connection)
        return StateOut(state=protocols.reopen(connection, actor, station, ballot, body.reason, contest))


@router.post("/certify")
def certify(context: ContextDep, contest: Contest = None) -> dict[str, Any]:
    """Certify a contest's result (whole-city coordinator): freezes it and publishes the bundle's hash."""
    with context.unit_of_work() as connection:
        made = results.certify(connection, context.user(connection), contest)
    return {"certified": True, "sha256": made["sha256"]}


@router.post("/uncertify")
def uncertify(body: ReasonIn, context: ContextDep, contest: Contest = None) -> dict[str, Any]:
    """Reopen a contest's certified result (administrator, with a reason)."""
    with context.unit_of_work() as connection:
        results.uncertify(connection, context.user(connection), body.reason, contest)
    return {"certified": False}


@router.post("/districts/{district}/certify")
def certify_district(district: PathNumber, context: ContextDep, contest: Contest = None) -> dict[str, Any]:
    """The district commission's coordinator certifies its district's result (winner and tally)."""
    with context.unit_of_work() as connection:
        return district_service.certify(connection, context.user(connection), district, contest)


@router.post("/districts/{district}/uncertify")
def uncertify_district(
    district: PathNumber, body: ReasonIn, context: ContextDep, contest: Contest = None
) -> dict[str, Any]:
    """Withdraw a district's certification (an administrator of the declaring commission, with a reason)."""
    with context.unit_of_work() as connection:
        district_service.uncertify(connection, context.user(connection), district, body.reason, contest)
    return {"certified": False}


@router.get("/district-certifications")
def district_certifications(context: ContextDep, contest: Contest = None) -> list[dict[str, Any]]:
    """The districts a district commission certifies, with their certification (or none yet)."""
    with context.unit_of_work() as connection:
        return district_service.listing(connection, context.user(connection), contest)


@router.post("/publication/release")
def release_results(context: ContextDep, contest: Contest = None) -> dict[str, Any]:
    """Release a contest's results past the publish gate (the coordinator who certifies; docs/publishing.md)."""
    with context.unit_of_work() as connection:
        publication_service.release(connection, context.user(connection), contest)
    return {"released": True}


@router.get("/bundle")
def bundle(context: ContextDep, response: Response, contest: Contest = None) -> dict[str, Any]:
    """A contest's certified results bundle (public): definition, rules, protocols, council, SHA-256; saved
    as `{contest}-certified-{local time}.json`."""
    from saylau.web.clock import commission_zone, stamp
    from saylau.web.downloads import attachment, download_name

    with context.unit_of_work() as connection:
        chosen = definition.contest_of(connection, contest)
        found = results.published(connection, chosen)
        response.headers.update(
            attachment(download_name(chosen, "certified", stamp(commission_zone(connection, chosen)), "json"))
        )
        return found


@router.get("/users", response_model=list[UserOut])
def user_list(context: ContextDep) -> list[UserOut]:
    """Every user (administrator)."""
    with context.unit_of_work() as connection:
        found = users.listing(connection, context.user(connection))
    return [_user_out(u) for u in found]


@router.post("/users", response_model=UserOut, status_code=201)
def user_add(body: UserIn, context: ContextDep) -> UserOut:
    """Create a user (administrator)."""
    with context.unit_of_work() as connection:
        actor = context.user(connection)
        districts = frozenset(body.districts)
        made = users.add(connection, actor, body.name, body.password, body.role, districts, body.commission)
    return _user_out(made)


def _user_out(user: users.UserView) -> UserOut:
    return UserOut(
        name=user.name, role=user.role, districts=list(user.districts), active=user.active, commission=user.commission
    )


@router.post("/users/{name}/disable")
def user_disable(name: str, context: ContextDep) -> dict[str, str]:
    """Disable a user and end their sessions (administrator)."""
    with context.unit_of_work() as connection:
        users.disable(connection, context.user(connection), name)
    return {"status": "disabled"}


class PasswordIn(_Body):
    password: str = Field(max_length=256)


@router.post("/users/{name}/password")
def user_password(name: str, body: PasswordIn, context: ContextDep) -> dict[str, str]:
    """Set a user's password (administrator): argon2id, their sessions ended, audited."""
    with context.unit_of_work() as connection:
        users.set_password(connection, context.user(connection), name, body.password)
    return {"status": "password-set"}


@router.get("/audit")
def audit_log(
    context: ContextDep,
    after: QueryNumber = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[dict[str, Any]]:
    """Audit rows after id `after` (administrators, coordinators, observers)."""
    with context.unit_of_work() as connection:
        require(context.user(connection), Permission.READ_AUDIT)
        return [asdict(event) for event in audit.rows(connection, after=after, limit=limit)]


@router.get("/audit/logins")
def failed_logins(
    context: ContextDep,
    after: QueryNumber = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[dict[str, Any]]:
    """Wrong passwords after number `after`: when, the name tried and the client address (administrators).
    They are kept apart from the audit chain, so that no anonymous caller writes into it."""
    with context.unit_of_work() as connection:
        return [asdict(f) for f in users.failed_logins(connection, context.user(connection), after, limit)]


@router.get("/audit/verify")
def audit_verify(context: ContextDep) -> dict[str, Any]:
    """Whether the audit chain is unbroken, and the first broken row otherwise."""
    with context.unit_of_work() as connection:
        require(context.user(connection), Permission.READ_AUDIT)
        found = audit.verify(connection)
    why = say(found.why, request_language(context.request))
    return {"intact": found.intact, "rows": found.rows, "broken_at": found.broken_at, "why": why}


class PersonIn(_Body):
    """A candidate as registered: the name, and the particulars the registration rules check (optional)."""

    candidate: str = Field(min_length=1, max_length=200)
    date_of_birth: date | None = None
    sex: Literal["f", "m"] | None = None
    disability: bool | None = None
    registered: date | None = None

    def columns(self) -> dict[str, str]:
        """The CSV columns this registration writes (the fields given)."""
        given = self.model_dump(exclude_unset=True)
        return {k: _cell(v) for k, v in given.items()}


class ParticularsIn(_Body):
    date_of_birth: date | None = None
    sex: Literal["f", "m"] | None = None
    disability: bool | None = None
    registered: date | None = None

    def columns(self) -> dict[str, str]:
        return {k: _cell(v) for k, v in self.model_dump(exclude_unset=True).items()}


class ListIn(_Body):
    candidates: list[PersonIn] = Field(max_length=1000)


class CandidateIn(PersonIn):
    party: str = Field(default="", max_length=200)
    """A party's short name, or empty for a self-nominated candidate."""


class WithdrawIn(_Body):
    date: date


class DesignationIn(_Body):
    candidates: list[str] = Field(max_length=1000)


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


@router.get("/registration")
def registration_view(context: ContextDep, contest: Contest = None) -> dict[str, Any]:
    """The lists and district candidates as registered, withdrawals, designations, current refusals (public)."""
    with context.unit_of_work() as connection:
        return registration.registry(connection, contest)


@router.put("/lists/{party}")
def list_register(party: str, body: ListIn, context: ContextDep, contest: Contest = None) -> dict[str, str]:
    """Register a party's whole list (administrator); 422 `registration-refused` lists each refusal."""
    with context.unit_of_work() as connection:
        actor = context.user(connection)
        registration.register_list(connection, actor, party, [c.columns() for c in body.candidates], contest=contest)
    return {"status": "registered"}


@router.patch("/lists/{party}/candidates/{name}")
def list_candidate_edit(
    party: str, name: str, body: ParticularsIn, context: ContextDep, contest: Contest = None
) -> dict[str, str]:
    """Change a list candidate's particulars (administrator), with the same checks."""
    with context.unit_of_work() as connection:
        registration.edit_candidate(connection, context.user(connection), party, name, body.columns(), contest=contest)
    return {"status": "edited"}


@router.post("/lists/{party}/candidates/{name}/withdraw")
def list_candidate_withdraw(
    party: str, name: str, body: WithdrawIn, context: ContextDep, contest: Contest = None
) -> dict[str, str]:
    """Withdraw a list candidate (administrator): on record, takes no seat."""
    with context.unit_of_work() as connection:
        registration.withdraw_candidate(connection, context.user(connection), party, name, body.date, contest=contest)
    return {"status": "withdrawn"}


@router.post("/lists/{party}/withdraw")
def list_withdraw(party: str, body: WithdrawIn, context: ContextDep, contest: Contest = None) -> dict[str, str]:
    """Withdraw a party's whole list (administrator): on record, takes no list seat."""
    with context.unit_of_work() as connection:
        registration.withdraw_list(connection, context.user(connection), party, body.date, contest=contest)
    return {"status": "withdrawn"}


@router.post("/districts/{district}/candidates", status_code=201)
def district_candidate_register(
    district: PathNumber, body: CandidateIn, context: ContextDep, contest: Contest = None
) -> dict[str, str]:
    """Register a district candidate (administrator), with the same checks."""
    with context.unit_of_work() as connection:
        actor = context.user(connection)
        registration.register_candidate(
            connection, actor, district, {**body.columns(), "party": body.party}, contest=contest
        )
    return {"status": "registered"}


@router.patch("/districts/{district}/candidates/{name}")
def district_candidate_edit(
    district: PathNumber, name: str, body: ParticularsIn, context: ContextDep, contest: Contest = None
) -> dict[str, str]:
    """Change a district candidate's particulars (administrator), with the same checks."""
    with context.unit_of_work() as connection:
        registration.edit_candidate(
            connection, context.user(connection), district, name, body.columns(), contest=contest
        )
    return {"status": "edited"}


@router.post("/districts/{district}/candidates/{name}/withdraw")
def district_candidate_withdraw(
    district: PathNumber, name: str, body: WithdrawIn, context: ContextDep, contest: Contest = None
) -> dict[str, str]:
    """Withdraw a district candidate (administrator): on record, not on the ballot, takes no seat."""
    with context.unit_of_work() as connection:
        registration.withdraw_candidate(
            connection, context.user(connection), district, name, body.date, contest=contest
        )
    return {"status": "withdrawn"}


@router.put("/designations/{party}")
def designation_enter(party: str, body: DesignationIn, context: ContextDep, contest: Contest = None) -> dict[str, str]:
    """A party's designation of who takes its list seats (coordinator): on the list, not withdrawn, quota."""
    with context.unit_of_work() as connection:
        registration.designate(connection, context.user(connection), party, body.candidates, contest=contest)
    return {"status": "designated"}
