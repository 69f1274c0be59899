"""The results service's commands: serve, users, audit verify, export, verify, and results up the tree: keys,
bundle, import (docs/service.md).

Each imports the service only when run, so the offline commands start as fast as before.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from saylau.cli.app import Lang, app, exits_on_error, speaks
from saylau.cli.errors import ADMIN_CREATED, NOT_JSON, UNKNOWN_VALUE, warn
from saylau.errors import InputError, Phrase, Problem, phrase_of, worded
from saylau.reports.i18n import Words, words
from saylau.reports.problems import said

AIR_GAP_REACHED = "air-gap check on ({addresses}): {reached} answers, data entry is refused until it does not"

DATA = typer.Option("--data", help="Folder of the embedded SQLite database (default ./saylau-data).")
DATABASE = typer.Option("--database", help="Database URL, e.g. postgresql+psycopg://user@host:5432/db.")
AIR_GAP = typer.Option(
    "--air-gap",
    envvar="SAYLAU_AIR_GAP",
    help="Refuse data entry while an outside address answers: auto (on unless listening on loopback), on, off, "
    "or HOST:PORT,... to try (docs/service.md).",
)

users_app = typer.Typer(name="users", help="Users of the results service.", no_args_is_help=True, callback=speaks)
audit_app = typer.Typer(name="audit", help="The service's audit log.", no_args_is_help=True, callback=speaks)
keys_app = typer.Typer(
    name="keys", help="Keys that sign and check results bundles up the tree.", no_args_is_help=True, callback=speaks
)
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.add_typer(keys_app, name="keys")


@app.command()
@exits_on_error
def serve(
    folder: Annotated[Path, typer.Argument(help="The election folder, or election-day folder, to import or check.")],
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    data: Annotated[Path | None, DATA] = None,
    database: Annotated[str | None, DATABASE] = None,
    insecure_cookies: Annotated[
        bool, typer.Option("--insecure-cookies", help="Session cookies without Secure (plain HTTP off loopback).")
    ] = False,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Processes serving at once.")] = 1,
    public_only: Annotated[
        bool,
        typer.Option("--public-only", help="Serve only the public pages and downloads (readers' own processes)."),
    ] = False,
    air_gap: Annotated[str, AIR_GAP] = "auto",
    session_idle: Annotated[
        int,
        typer.Option(
            "--session-idle", min=1, max=10080, help="Minutes a session lasts without work; each request renews it."
        ),
    ] = 120,
    lang: Lang = "en",
) -> None:
    """Run the results service: double data entry, coordinators, certification, results bundle."""
    import uvicorn

    from saylau.service.airgap import AirGap, addresses_for
    from saylau.web import Settings, create_app, prepare
    from saylau.web.app import SETTINGS_VARIABLE, from_environment, settle
    from saylau.web.public import KEEP_ALIVE_SECONDS

    w = words(lang)  # an unknown language is refused before any work
    outside = addresses_for(air_gap, host)

    settings = Settings(
        folder=folder,
        data=data,
        database=database,
        host=host,
        port=port,
        admin_password=os.environ.get("SAYLAU_ADMIN_PASSWORD") or None,
        secure_cookies=not insecure_cookies,
        public_only=public_only,
        air_gap=outside,
        session_idle=max(60, session_idle * 60),
    )
    db, generated = prepare(settings)
    from saylau.io.folder import folder_differences

    warn(folder_differences(folder), lang)  # published totals beside protocols that disagree (docs/service.md)
    if generated:
        typer.echo(w(ADMIN_CREATED, password=generated))
    typer.echo(w("saylau serve: {url} ({database})", url=f"http://{host}:{port}/", database=db.engine.dialect.name))
    if outside:
        reached = AirGap(outside).reachable()
        addresses = ", ".join(outside)
        if reached:
            typer.echo(w(AIR_GAP_REACHED, addresses=addresses, reached=reached))
        else:
            typer.echo(w("air-gap check on ({addresses})", addresses=addresses))
    if workers == 1:
        served = create_app(settings, db)
        settle(db)
        uvicorn.run(
            served, host=host, port=port, log_level="warning", access_log=False, timeout_keep_alive=KEEP_ALIVE_SECONDS
        )
        return
    db.close()  # each worker opens its own engine over the prepared database
    os.environ[SETTINGS_VARIABLE] = settings.model_dump_json(exclude={"admin_password"})
    app_path = f"{from_environment.__module__}:from_environment"
    uvicorn.run(
        app_path,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,  # a polling page keeps its connection (`public.KEEP_ALIVE_SECONDS`)
    )


def _open(data: Path | None, database: str | None):  # type: ignore[no-untyped-def]
    from saylau.store import database_url, open_database

    if data is not None and database is None and not data.is_dir():
        raise InputError([worded("is not a folder", str(data), field="--data")])
    return open_database(database_url(data, database))


@users_app.command("add")
@exits_on_error
def users_add(
    name: Annotated[str, typer.Argument(help="User name (a-z, 0-9, . _ -).")],
    role: Annotated[str, typer.Option("--role", help="administrator, operator, coordinator or observer.")],
    districts: Annotated[str, typer.Option("--districts", help="District numbers, e.g. 1,2,5; empty: city.")] = "",
    data: Annotated[Path | None, DATA] = None,
    database: Annotated[str | None, DATABASE] = None,
    lang: Lang = "en",
) -> None:
    """Add a user; the password is read from SAYLAU_PASSWORD or asked for."""
    from saylau.service import users
    from saylau.service.permissions import Role

    w = words(lang)  # an unknown language is refused before any work
    if role not in {r.value for r in Role}:
        known = ", ".join(r.value for r in Role)
        raise InputError([worded(UNKNOWN_VALUE, field="--role", option="role", value=repr(role), known=known)])
    password = os.environ.get("SAYLAU_PASSWORD") or typer.prompt("password", hide_input=True, confirmation_prompt=True)
    db = _open(data, database)
    with db.unit_of_work() as connection:
        users.add(connection, None, name, password, Role(role), users.parse_districts(districts))
    typer.echo(w("added {name} ({role})", name=name, role=w(f"role|{role}")))


@users_app.command("list")
@exits_on_error
def users_list(
    data: Annotated[Path | None, DATA] = None, database: Annotated[str | None, DATABASE] = None, lang: Lang = "en"
) -> None:
    """List the users, their roles and districts."""
    from saylau.service import users

    w = words(lang)  # an unknown language is refused before any work
    db = _open(data, database)
    with db.unit_of_work() as connection:
        for user in users.listing(connection, None):
            where = ",".join(str(d) for d in user.districts) or w("users|city")
            state = w("users|active") if user.active else w("users|disabled")
            typer.echo(f"{user.name}\t{w(f'role|{user.role.value}')}\t{where}\t{state}")


@users_app.command("password")
@exits_on_error
def users_password(
    name: Annotated[str, typer.Argument(help="The user whose password to set.")],
    data: Annotated[Path | None, DATA] = None,
    database: Annotated[str | None, DATABASE] = None,
    lang: Lang = "en",
) -> None:
    """Set a user's password (read from SAYLAU_PASSWORD or asked for twice); their sessions end; audited."""
    from saylau.service import users

    w = words(lang)  # an unknown language is refused before any work
    password = os.environ.get("SAYLAU_PASSWORD") or typer.prompt("password", hide_input=True, confirmation_prompt=True)
    db = _open(data, database)
    try:
        with db.unit_of_work() as connection:
            users.set_password(connection, None, name, password)
    finally:
        db.close()
    typer.echo(w("password of {name} set; their sessions have ended", name=name))


@users_app.command("disable")
@exits_on_error
def users_disable(
    name: Annotated[str, typer.Argument(help="The user to disable.")],
    data: Annotated[Path | None, DATA] = None,
    database: Annotated[str | None, DATABASE] = None,
    lang: Lang = "en",
) -> None:
    """Disable a user and end their sessions."""
    from saylau.service import users

    w = words(lang)  # an unknown language is refused before any work
    db = _open(data, database)
    with db.unit_of_work() as connection:
        users.disable(connection, None, name)
    typer.echo(w("disabled {name}", name=name))


@audit_app.command("verify")
@exits_on_error
def audit_verify(
    data: Annotated[Path | None, DATA] = None, database: Annotated[str | None, DATABASE] = None, lang: Lang = "en"
) -> None:
    """Prove the audit log's SHA-256 chain unbroken, or name its first broken row (exit 1)."""
    from saylau.service import audit

    w = words(lang)  # an unknown language is refused before any work
    db = _open(data, database)
    with db.unit_of_work() as connection:
        found = audit.verify(connection)
    if found.intact:
        typer.echo(w.n("audit log intact: {n} row", "audit log intact: {n} rows", found.rows))
        return
    typer.echo(w("audit log broken at row {row}: {why}", row=found.broken_at, why=said(found.why, lang)))
    sys.exit(1)


@app.command()
@exits_on_error
def export(
    out: Annotated[Path, typer.Argument(help="The folder to write (an election folder with protocols/).")],
    data: Annotated[Path | None, DATA] = None,
    database: Annotated[str | None, DATABASE] = None,
    contest: Annotated[
        str | None, typer.Option("--contest", help="Which contest of the day (default: the only one).")
    ] = None,
    lang: Lang = "en",
) -> None:
    """Write a contest's state as an election folder that `saylau results` reads."""
    from saylau.service import results, scans

    w = words(lang)  # an unknown language is refused before any work
    if out.exists() and any(out.iterdir()):
        raise InputError([worded("exists and is not empty", str(out))])
    db = _open(data, database)
    with db.unit_of_work() as connection:
        written = results.export(connection, out, contest)
        scanned = scans.export(connection, out, contest)
    said = w.n("{n} accepted protocol", "{n} accepted protocols", written)
    if scanned:
        said += ", " + w.n("{n} scan", "{n} scans", scanned)
    typer.echo(w("wrote {path}: {what}", path=out, what=said))


@app.command()
@exits_on_error
def verify(
    bundle: Annotated[Path, typer.Argument(help="A results bundle (JSON) the service published.")], lang: Lang = "en"
) -> None:
    """Recompute the council from a results bundle alone and say whether it matches (exit 1 if not); for a
    bundle of an area, check its hash and signature and every bundle below it, down to the stations."""
    from saylau.service import results, transfer

    w = words(lang)  # an unknown language is refused before any work
    data = _json(bundle)
    if not isinstance(data, dict):
        raise InputError([worded("is not a results bundle (expected a JSON object)", str(bundle))])
    if data.get("format") == transfer.FORMAT:
        problems = transfer.verify(data)
        if not problems:
            typer.echo(_area_matches(data, w))
            return
    else:
        problems = results.verify(data)
        if not problems:
            typer.echo(
                w("matches: {election}, SHA-256 {sha256}", election=data.get("election"), sha256=data.get("sha256"))
            )
            return
    for line in problems:
        typer.echo(w("does not match: {line}", line=said(line, lang)))
    sys.exit(1)


def _json(path: Path) -> Any:
    """The JSON a file holds; InputError naming the file if it cannot be read as JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError([worded(NOT_JSON, str(path), error=error)]) from None


def _area_matches(data: dict[str, object], w: Words) -> str:
    """The line for an area's bundle that matches: who signed it, with how many protocols, on how many bundles."""
    protocols = data["protocols"]
    below = data.get("rests_on", [])
    return w(
        "matches: {commission} version {version}, SHA-256 {sha256}, signed by key {key}; {protocols}, {below}",
        commission=data.get("commission"),
        version=data.get("version"),
        sha256=data.get("sha256"),
        key=data.get("public_key"),
        protocols=w.n(
            "{n} station protocol", "{n} station protocols", len(protocols) if isinstance(protocols, list) else 0
        ),
        below=w.n(
            "resting on {n} bundle below", "resting on {n} bundles below", len(below) if isinstance(below, list) else 0
        ),
    )


@app.command()
@exits_on_error
def replay(
    folder: Annotated[Path, typer.Argument(help="An election folder with protocols/ and stations.csv.")],
    url: Annotated[str, typer.Option("--url", help="The running service, e.g. http://127.0.0.1:8000.")],
    operators: Annotated[int, typer.Option("--operators", min=1, max=100, help="Pairs of operators.")] = 2,
    rate: Annotated[float | None, typer.Option("--rate", min=0.1, help="At most N entries per second.")] = None,
    mistakes: Annotated[str, typer.Option("--mistakes", help="Share of second entries mistyped, e.g. 5%.")] = "0%",
    seed: Annotated[int, typer.Option("--seed", help="Which protocols get the mistakes.")] = 0,
    lang: Lang = "en",
) -> None:
    """Play a folder's protocols into a running service, each typed twice; skips accepted protocols."""
    import httpx

    from saylau.replay import ReplayError
    from saylau.replay import replay as run

    w = words(lang)  # an unknown language is refused before any work
    password = os.environ.get("SAYLAU_ADMIN_PASSWORD")
    if not password:
        raise InputError(
            [worded("set SAYLAU_ADMIN_PASSWORD: the replay logs in as admin", field="SAYLAU_ADMIN_PASSWORD")]
        )
    try:
        share = float(mistakes.strip().rstrip("%")) / (100 if mistakes.strip().endswith("%") else 1)
    except ValueError:
        raise InputError(
            [worded("{value} is not a share such as 5%", field="--mistakes", value=repr(mistakes))]
        ) from None
    if not 0 <= share <= 1:
        raise InputError([worded("must be between 0% and 100%", field="--mistakes")])
    try:
        report = run(
            lambda: httpx.Client(base_url=url, timeout=60),
            folder,
            password,
            operators=operators,
            rate=rate,
            mistakes=share,
            seed=seed,
        )
    except (ReplayError, httpx.HTTPError) as error:
        raise InputError([Problem(phrase_of(error), url)]) from None
    rate_per_second = round(report.entries / max(report.seconds, 1e-9))
    typer.echo(
        w(
            "{entries} in {seconds} s ({rate}/s); {skipped}, {mistakes}, {resolved}, {warnings}",
            entries=w.n("{n} entry", "{n} entries", report.entries),
            seconds=w.fmt.decimal(report.seconds, 1),
            rate=w.fmt.integer(rate_per_second),
            skipped=w.n("{n} protocol already accepted", "{n} protocols already accepted", report.skipped),
            mistakes=w.n("{n} mistake made", "{n} mistakes made", report.mistakes),
            resolved=w.n("{n} mistake resolved", "{n} mistakes resolved", report.resolved),
            warnings=w.n("{n} warning accepted", "{n} warnings accepted", report.warnings_accepted),
        )
    )


@keys_app.command("new")
@exits_on_error
def keys_new(
    commission: Annotated[str, typer.Option("--commission", help="This instance's commission in the day's tree.")],
    data: Annotated[Path | None, DATA] = None,
    database: Annotated[str | None, DATABASE] = None,
    lang: Lang = "en",
) -> None:
    """Make this commission's Ed25519 key pair; prints the public key for the commission above to trust."""
    from saylau.service import transfer

    w = words(lang)  # an unknown language is refused before any work
    db = _open(data, database)
    with db.unit_of_work() as connection:
        public = transfer.make_key(connection, commission)
    typer.echo(w("{commission} signs with public key {key}", commission=commission, key=public))


@keys_app.command("trust")
@exits_on_error
def keys_trust(
    commission: Annotated[str, typer.Argument(help="A commission directly below this one.")],
    public_key: Annotated[str, typer.Argument(help="Its public key, as its `saylau keys new` printed it.")],
    data: Annotated[Path | None, DATA] = None,
    database: Annotated[str | None, DATABASE] = None,
    lang: Lang = "en",
) -> None:
    """Trust a commission's public key for the bundles it sends here."""
    from saylau.service import transfer

    w = words(lang)  # an unknown language is refused before any work
    db = _open(data, database)
    with db.unit_of_work() as connection:
        transfer.trust(connection, commission, public_key)
    typer.echo(w("trusted {commission}: {key}", commission=commission, key=public_key))


@app.command()
@exits_on_error
def bundle(
    out: Annotated[Path, typer.Argument(help="The file to write (JSON).")],
    data: Annotated[Path | None, DATA] = None,
    database: Annotated[str | None, DATABASE] = None,
    lang: Lang = "en",
) -> None:
    """Export this commission's signed results bundle of its area, for the commission above."""
    from saylau.service import transfer

    w = words(lang)  # an unknown language is refused before any work
    db = _open(data, database)
    with db.unit_of_work() as connection:
        made = transfer.export(connection)
    out.write_text(json.dumps(made, ensure_ascii=False, indent=1), encoding="utf-8")
    said = w(
        "{commission} version {version}, SHA-256 {sha256}",
        commission=made["commission"],
        version=made["version"],
        sha256=made["sha256"],
    )
    typer.echo(w("wrote {path}: {what}", path=out, what=said))


@app.command(name="import")
@exits_on_error
def import_(
    path: Annotated[Path, typer.Argument(help="A results bundle of a commission directly below this one.")],
    data: Annotated[Path | None, DATA] = None,
    database: Annotated[str | None, DATABASE] = None,
    lang: Lang = "en",
) -> None:
    """Import a commission's results bundle: hash, definition, version and signature checked, else refused."""
    from saylau.service import transfer
    from saylau.service.errors import ServiceError

    w = words(lang)  # an unknown language is refused before any work
    content = _json(path)
    db = _open(data, database)
    try:
        with db.unit_of_work() as connection:
            done = transfer.import_bundle(connection, content)
    except ServiceError as refused:
        why = Phrase(refused.template, refused.plural, **refused.values) if refused.template else refused.message
        raise InputError([worded("refused: {why}", str(path), field=refused.field, why=said(why, lang))]) from None
    imported = w(
        "{commission} version {version}, SHA-256 {sha256}",
        commission=done.commission,
        version=done.version,
        sha256=done.sha256,
    )
    waiting = w.n(
        "{n} summary protocol waits for the paper summary's entry",
        "{n} summary protocols wait for the paper summary's entry",
        done.summaries,
    )
    typer.echo(w("imported {what}: {waiting}", what=imported, waiting=waiting))
