"""`saylau backup` and `saylau restore`: a whole election to one file and back, on any database (docs/service.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from saylau.cli.app import Lang, app, exits_on_error
from saylau.cli.errors import ADMIN_CREATED
from saylau.cli.service import DATA, DATABASE, _json, _open
from saylau.errors import InputError, Phrase, Problem, worded
from saylau.reports.i18n import words

RESTORED_BROKEN = "restored, but the audit log breaks at row {row}: {why}"


@app.command()
@exits_on_error
def backup(
    out: Annotated[Path, typer.Argument(help="The backup file to write (JSON).")],
    data: Annotated[Path | None, DATA] = None,
    database: Annotated[str | None, DATABASE] = None,
    passwords: Annotated[
        bool, typer.Option("--with-passwords", help="Keep the users' password hashes (keep the file secret).")
    ] = False,
    lang: Lang = "en",
) -> None:
    """Write the whole election (definition, entries, users, audit log) to one file."""
    from saylau.store.backup import dump

    w = words(lang)  # an unknown language is refused before any work
    if out.exists():
        raise InputError([worded("exists already: choose a new file", str(out))])
    db = _open(data, database)
    try:
        with db.unit_of_work() as connection:
            made = dump(connection, passwords=passwords)
    finally:
        db.close()
    out.write_text(json.dumps(made, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    counts = ", ".join(
        w("{count} {table}", count=w.fmt.integer(len(rows)), table=name) for name, rows in made["tables"].items()
    )
    typer.echo(w("wrote {path}: {what}", path=out, what=f"{counts}; SHA-256 {made['sha256']}"))


@app.command()
@exits_on_error
def restore(
    backup_file: Annotated[Path, typer.Argument(metavar="FILE", help="A file `saylau backup` wrote.")],
    data: Annotated[Path | None, DATA] = None,
    database: Annotated[str | None, DATABASE] = None,
    lang: Lang = "en",
) -> None:
    """Restore a backup into an empty database; the audit chain is checked afterwards. A backup without the
    password hashes gives the administrator the password in SAYLAU_ADMIN_PASSWORD, or a generated one
    printed once, as a fresh service does; every other user gets a new password from an administrator."""
    import os

    from saylau.service import audit, tallies, users
    from saylau.store import database_url, open_database
    from saylau.store.backup import counted_again
    from saylau.store.backup import restore as run

    w = words(lang)  # an unknown language is refused before any work
    loaded = _json(backup_file)
    if not isinstance(loaded, dict):
        raise InputError([worded("is not a saylau backup (expected a JSON object)", str(backup_file))])
    db = open_database(database_url(data, database))
    try:
        counts = run(db, loaded, str(backup_file))
        with db.unit_of_work() as connection:
            if counted_again(loaded):  # written before the running tallies, or in an earlier layout: count now
                tallies.rebuild(connection)
            found = audit.verify(connection)
        if not found.intact:
            broken = Phrase(RESTORED_BROKEN, row=found.broken_at, why=found.why)
            raise InputError([Problem(broken, str(backup_file))])
        with db.unit_of_work() as connection:  # after the check: the new password's row extends the chain
            generated = users.ensure_admin(connection, os.environ.get("SAYLAU_ADMIN_PASSWORD") or None)
    finally:
        db.close()
    restored = w.n(
        "restored {n} row from {path}", "restored {n} rows from {path}", sum(counts.values()), path=backup_file
    )
    intact = w.n("audit log intact: {n} row", "audit log intact: {n} rows", found.rows)
    typer.echo(f"{restored}; {intact}")
    if generated:
        typer.echo(w(ADMIN_CREATED, password=generated))
