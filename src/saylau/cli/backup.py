"""`saylau backup` and `saylau restore`: a whole election to one file and back, on any database (docs/service.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from saylau.cli.app import app, exits_on_error
from saylau.cli.service import DATA, DATABASE, _open
from saylau.errors import InputError, Problem


@app.command()
@exits_on_error
def backup(
    out: Annotated[Path, typer.Argument(help="The backup file to write (JSON).")],
    data: Annotated[Path | None, DATA] = None,
    database: Annotated[str | None, DATABASE] = None,
    passwords: Annotated[
        bool, typer.Option("--with-passwords", help="Keep the users' password hashes (keep the file secret).")
    ] = False,
) -> None:
    """Write the whole election (definition, entries, users, audit log) to one file."""
    from saylau.store.backup import dump

    if out.exists():
        raise InputError([Problem("exists already: choose a new file", str(out))])
    db = _open(data, database)
    try:
        with db.unit_of_work() as connection:
            made = dump(connection, passwords=passwords)
    finally:
        db.close()
    out.write_text(json.dumps(made, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    counts = ", ".join(f"{len(rows)} {name}" for name, rows in made["tables"].items())
    typer.echo(f"wrote {out}: {counts}; SHA-256 {made['sha256']}")


@app.command()
@exits_on_error
def restore(
    backup_file: Annotated[Path, typer.Argument(metavar="FILE", help="A file `saylau backup` wrote.")],
    data: Annotated[Path | None, DATA] = None,
    database: Annotated[str | None, DATABASE] = None,
) -> None:
    """Restore a backup into an empty database; the audit chain is checked afterwards. A backup without the
    password hashes gives the administrator the password in SAYLAU_ADMIN_PASSWORD, or a generated one
    printed once, as a fresh service does; every other user gets a new password from an administrator."""
    import os

    from saylau.service import audit, tallies, users
    from saylau.store import database_url, open_database
    from saylau.store.backup import restore as run

    try:
        loaded = json.loads(backup_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError([Problem(f"is not a readable JSON file: {error}", str(backup_file))]) from None
    if not isinstance(loaded, dict):
        raise InputError([Problem("is not a saylau backup (expected a JSON object)", str(backup_file))])
    db = open_database(database_url(data, database))
    try:
        counts = run(db, loaded, str(backup_file))
        with db.unit_of_work() as connection:
            if not {"tallies", "entry_states"} <= set(loaded.get("tables", {})):  # written before them: count now
                tallies.rebuild(connection)
            found = audit.verify(connection)
        if not found.intact:
            raise InputError([Problem(f"restored, but the audit log breaks at row {found.broken_at}: {found.why}")])
        with db.unit_of_work() as connection:  # after the check: the new password's row extends the chain
            generated = users.ensure_admin(connection, os.environ.get("SAYLAU_ADMIN_PASSWORD") or None)
    finally:
        db.close()
    typer.echo(f"restored {sum(counts.values())} row(s) from {backup_file}; audit log intact: {found.rows} row(s)")
    if generated:
        typer.echo(f"administrator: admin, password {generated} (shown once; set SAYLAU_ADMIN_PASSWORD to choose it)")
