"""`saylau publish`: results as immutable versioned files on a folder or an S3-compatible bucket.

    saylau publish folder FOLDER --to TARGET         the count of an election folder, offline
    saylau publish service --to TARGET [--watch]     the results service's count, from its database
    saylau publish rollback VERSION --to TARGET      point readers back at an earlier version
    saylau publish versions --to TARGET              the versions published there

TARGET is a folder (serve it with any static web server) or `s3://BUCKET/PREFIX?endpoint=URL`; a bucket's
credentials come from the environment only (docs/publishing.md).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from saylau.cli.app import Lang, app, exits_on_error, speaks
from saylau.reports.i18n import Words, words

publish_app = typer.Typer(
    name="publish",
    help="Publish results as immutable versions on a folder or a bucket.",
    no_args_is_help=True,
    callback=speaks,
)
app.add_typer(publish_app, name="publish")

TO = typer.Option("--to", help="A folder, or s3://BUCKET/PREFIX[?endpoint=URL] (keys from the environment).")


PREVIEW = typer.Option(
    "--preview-to", help="Where staff see a preview (marked as such) while the publish gate is closed."
)


def _say(done: object, w: Words, preview: bool = False) -> None:
    from saylau.publish import Published

    assert isinstance(done, Published)
    version = w("preview version {version}" if preview else "version {version}", version=done.version)
    if not done.new:
        typer.echo(w("{version}: already published with these figures, nothing written", version=version))
        return
    said = w(
        "{files}, {written} ({bytes}), {unchanged}, {seconds} s",
        files=w.n("{n} file", "{n} files", done.files),
        written=w.n("{n} written", "{n} written", done.written),
        bytes=w.n("{n} byte", "{n} bytes", done.bytes_written),
        unchanged=w.n("{n} unchanged", "{n} unchanged", done.skipped),
        seconds=w.fmt.decimal(done.seconds, 2),
    )
    typer.echo(f"{version}: {said}")


def _through_gate(
    to: str, preview_to: str | None, source: object, w: Words, reason: str = "", keep: bool = False, paced: bool = False
) -> None:
    from saylau.publish import DaySource, open_target, release
    from saylau.publish.publisher import REPORT_SHARE
    from saylau.reports.problems import said

    assert isinstance(source, DaySource)
    now = datetime.now(UTC)
    preview_target = open_target(preview_to) if preview_to else None
    share = REPORT_SHARE if paced else None  # a watch follows the night: its NIST report may wait (publish)
    public, preview = release(
        open_target(to), source, preview_target, now=now, reason=reason, keep=keep, report_share=share
    )
    if public is not None:
        _say(public, w)
        if not all(source.open_at(now)):
            typer.echo(w("{target}: counted nothing of {what}", target=to, what=said(source.describe(now), w.lang)))
    else:
        held = said(source.describe(now), w.lang)
        typer.echo(w("{target}: nothing published, the results are {what}", target=to, what=held))
    if preview is not None:
        _say(preview, w, preview=True)


@publish_app.command("folder")
@exits_on_error
def publish_folder(
    folder: Annotated[Path, typer.Argument(help="The election folder, with its protocols/.")],
    to: Annotated[str, TO],
    preview_to: Annotated[str | None, PREVIEW] = None,
    release: Annotated[
        bool, typer.Option("--release", help="Release the results now, before the close of polls the folder sets.")
    ] = False,
    reason: Annotated[str, typer.Option("--reason", help="Why published figures change (shown beside them).")] = "",
    lang: Lang = "en",
) -> None:
    """Publish the count of an election folder's protocols (a day folder: every contest) as a new version."""
    from saylau.publish import from_folder

    w = words(lang)  # an unknown language is refused before any work
    _through_gate(to, preview_to, from_folder(folder, released=release), w, reason)


@publish_app.command("service")
@exits_on_error
def publish_service(
    to: Annotated[str, TO],
    preview_to: Annotated[str | None, PREVIEW] = None,
    data: Annotated[Path | None, typer.Option("--data", help="Folder of the service's SQLite database.")] = None,
    database: Annotated[str | None, typer.Option("--database", help="The service's database URL.")] = None,
    watch: Annotated[bool, typer.Option("--watch", help="Keep publishing each new snapshot until stopped.")] = False,
    every: Annotated[float, typer.Option("--every", min=0.1, help="Seconds between checks with --watch.")] = 1.0,
    share: Annotated[
        float,
        typer.Option(
            "--share",
            min=0.05,
            max=1.0,
            help="While --watch follows a night that keeps writing, the most of a core it takes (0.05 to 1; 1: a new "
            "pass as soon as anything is written).",
        ),
    ] = 0.25,  # saylau.publish.watch.SHARE (not imported before it is needed: the command's start-up)
    lang: Lang = "en",
) -> None:
    """Publish the service's current snapshot of every contest (the public pages' figures); with --watch, every
    new one."""
    from saylau.cli.service import _open
    from saylau.publish import from_database, open_target, versions
    from saylau.publish.publisher import head_of
    from saylau.publish.watch import watch as watching

    w = words(lang)  # an unknown language is refused before any work

    def published() -> int:  # the newest audit head on either target (reopenings' reasons are read after it)
        known = versions(open_target(preview_to or to)) + versions(open_target(to))
        return max((head_of(v) for v in known), default=0)

    def out(source: object) -> None:
        _through_gate(to, preview_to, source, w, keep=watch, paced=watch)  # kept for the watch's next version

    db = _open(data, database)
    try:
        if watch:
            watching(db, out, published, every, share=share)
        else:
            out(from_database(db, since=published()))
    finally:
        db.close()


@publish_app.command("rollback")
@exits_on_error
def publish_rollback(
    version: Annotated[int, typer.Argument(help="The version readers should see.")],
    to: Annotated[str, TO],
    lang: Lang = "en",
) -> None:
    """Move the pointer to a version published earlier (its files never changed)."""
    from saylau.publish import open_target, rollback

    w = words(lang)  # an unknown language is refused before any work
    entry = rollback(open_target(to), version)
    typer.echo(w("current.json -> version {version} ({built})", version=entry["version"], built=entry["built"]))


@publish_app.command("versions")
@exits_on_error
def publish_versions(to: Annotated[str, TO], lang: Lang = "en") -> None:
    """List the versions published on a target, the current one marked."""
    from saylau.publish import current, open_target, versions

    w = words(lang)  # an unknown language is refused before any work
    target = open_target(to)
    pointer = current(target)
    for entry in versions(target):
        mark = "*" if pointer and pointer["version"] == entry["version"] else " "
        changes = len(entry.get("note", {}).get("changes", []))
        note = w.n("{n} correction", "{n} corrections", changes) if changes else ""
        preview = w("publish|preview") if entry.get("preview") else ""
        typer.echo(f"{mark} {entry['version']:>8}  {entry['built']}  {entry['status']:<10} {preview} {note}".rstrip())
