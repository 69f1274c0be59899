"""Publishing a version: every changed file first, then the version's manifest, then the pointer, last.

    v/{version}/...                  the files this version changed (pages, downloads, station data)
    v/{version}/manifest.json        every file of the version: where it is stored, its SHA-256 and size
    current.json                     the pointer: which version is current (moved last, atomically)
    index.html, versions.json        derived from the pointer (a page that sends readers to the current
                                     version, the list of versions); rewritten after it

A reader that starts from `current.json` (or the root page) only ever reaches a version whose every file
was stored before the pointer moved: a publisher killed between two files leaves the pointer on the previous
whole version. Nothing under `v/` is ever rewritten or deleted, so every old version stays readable and the
pointer can be moved back (`rollback`). A file whose group did not change since the previous version is not
rendered or written again: the manifest names the earlier version that stored it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from saylau.errors import InputError, Problem
from saylau.publish.corrections import UNCERTIFIED, station_changes
from saylau.publish.pages import (
    HTML,
    JSON,
    PAGE_LANGUAGES,
    XML,
    ContestLink,
    Edition,
    File,
    Group,
    Locator,
    renderer,
    sha256,
)
from saylau.publish.source import DaySource, Source, day_of
from saylau.publish.targets import IMMUTABLE, POINTER, Target
from saylau.reports.feeds import feed_title, render_atom, render_json_feed
from saylau.reports.nist import StationCount
from saylau.reports.nist_day import day_report
from saylau.reports.nist_xml import render_nist_xml
from saylau.tabulation import FIGURES

FORMAT = "saylau-publish/1"
BATCH = 512
"""Files rendered before they are stored together (a bucket uploads a batch in parallel)."""
POINTER_KEY = "current.json"
_MANIFEST_ONLY = ("format", "previous", "content", "groups", "statuses")
VERSIONS_KEY = "versions.json"


@dataclass(frozen=True, slots=True)
class Published:
    """What one call of `publish` did."""

    version: int
    files: int
    """Files in the version (written now or stored by an earlier version)."""
    written: int
    bytes_written: int
    skipped: int
    """Files not written: unchanged since an earlier version."""
    seconds: float
    new: bool
    """False when this version was already published (nothing written)."""


def manifest_key(version: int) -> str:
    return f"v/{version}/manifest.json"


def read_json(target: Target, key: str) -> dict[str, Any] | None:
    body = target.get(key)
    if body is None:
        return None
    data: dict[str, Any] = json.loads(body)
    return data


def current(target: Target) -> dict[str, Any] | None:
    """The pointer as stored, or None before the first version."""
    return read_json(target, POINTER_KEY)


def versions(target: Target) -> list[dict[str, Any]]:
    """Every published version, oldest first (the versions list the publisher keeps beside the pointer)."""
    data = read_json(target, VERSIONS_KEY)
    return list(data["versions"]) if data else []


def publish(
    target: Target,
    source: Source | DaySource,
    *,
    version: int | None = None,
    preview: bool = False,
    reason: str = "",
    on_file: Callable[[str], None] | None = None,
) -> Published:
    """Store every contest of `source` as a new version of `target` and move the pointer to it (no gate: see
    `release`).

    `version` defaults to the snapshots' own (the service's audit head) or, offline, one past the newest
    version stored. `preview` marks every page as a preview for staff. `reason` is the reason of a correction
    that the source does not record itself (offline). `on_file` is called after each stored file (progress;
    tests stop the publisher there).
    """
    started = time.perf_counter()
    day = day_of(source)
    known = versions(target)
    pointer = current(target)
    if pointer and all(int(v["version"]) != int(pointer["version"]) for v in known):
        known.append({k: v for k, v in pointer.items() if k != "format"})  # killed before the list was written
    newest = max([int(v["version"]) for v in known] + [int(pointer["version"]) if pointer else 0])
    number = version or max(c.snapshot.version for c in day.contests) or newest + 1
    stored = read_json(target, manifest_key(number))
    if stored is not None:
        if all(int(v["version"]) != number for v in known):  # stored whole, then stopped before the pointer
            entry = {k: v for k, v in stored.items() if k not in _MANIFEST_ONLY}
            point(target, entry)
            _write_versions(target, [*known, entry])
        return Published(number, 0, 0, 0, 0, time.perf_counter() - started, new=False)
    if number <= newest:
        raise InputError([Problem(f"version {number} is older than the newest published ({newest})", field="version")])
    previous = read_json(target, pointer["manifest"]) if pointer else None
    before: dict[str, Any] = previous["groups"] if previous else {}
    content = _content(day, preview)
    if previous is not None and previous.get("content") == content and int(previous["version"]) == newest:
        return Published(int(previous["version"]), 0, 0, 0, 0, time.perf_counter() - started, new=False)

    changes: list[dict[str, Any]] = []
    earlier = [c for v in known for c in v.get("note", {}).get("changes", [])]
    links = [ContestLink(c.contest, f"{c.contest}/" if c.contest else "", c.names) for c in day.contests]
    statuses = dict((previous or {}).get("statuses") or {})
    if previous is not None and not statuses:  # a version of one contest: the version's status is the contest's
        statuses = {"": previous.get("status")}
    editions = []
    for c in day.contests:
        if statuses.get(c.contest) == "certified" and str(c.snapshot.result.status) != "certified":
            change = {"version": number, "kind": UNCERTIFIED, "reason": c.uncertified or reason}
            changes.append({**change, **({"contest": c.contest} if c.contest else {})})
        editions.append(_edition(target, c, number, preview, reason, before, changes, earlier, links))
    where = Locator()
    groups: dict[str, Any] = {}
    written = bytes_written = skipped = total = 0
    pending: list[tuple[str, bytes, str, str]] = []

    def done(key: str) -> None:
        if on_file is not None:
            on_file(key)

    plan: list[Group] = []
    for edition in editions:
        made = edition.groups()
        plan += [g for g in made if g.name != f"{edition.prefix}version" and (g.name != "static" or not plan)]
    plan.append(Group("version", None, lambda at: _version_files(day, editions, changes, at)))
    for group in plan:
        old = before.get(group.name)
        origin = group.source_at(where)
        if origin is not None and old is not None and old.get("source") == origin:
            where.at[group.name] = int(old["at"])
            groups[group.name] = old
            skipped += len(old["files"])
            total += len(old["files"])
            continue
        files = group.render(where)
        entries = {f.path: [sha256(f.body), len(f.body), f.media] for f in files}
        total += len(files)
        if old is not None and old["files"] == entries:
            where.at[group.name] = int(old["at"])
            groups[group.name] = {**old, "source": origin}
            skipped += len(files)
            continue
        pending += [(f"v/{number}/{f.path}", f.body, f.media, IMMUTABLE) for f in files]
        written += len(files)
        bytes_written += sum(len(f.body) for f in files)
        if len(pending) >= BATCH:
            target.put_many(pending, done)
            pending = []
        where.at[group.name] = number
        groups[group.name] = {"source": origin, "at": number, "files": entries}
    target.put_many(pending, done)
    first = links[0].prefix
    shown = {str(c.snapshot.result.status) for c in day.contests}
    entry = {
        "version": number,
        "built": max(c.snapshot.built for c in day.contests).astimezone(UTC).isoformat(),
        "published": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "status": next(s for s in ("partial", "complete", "certified") if s in shown),
        "manifest": manifest_key(number),
        "index": {lang: f"v/{where.at['version']}/{first}{lang}/index.html" for lang in PAGE_LANGUAGES},
        **(
            {
                "contests": {
                    link.id: {
                        lang: f"v/{where.at['version']}/{link.prefix}{lang}/index.html" for lang in PAGE_LANGUAGES
                    }
                    for link in links
                }
            }
            if day.several
            else {}
        ),
        **({"held": [c.contest or "election" for c in day.contests if c.snapshot.held]} if _held(day) else {}),
        **({"preview": True} if preview else {}),
        **({"note": {"changes": changes}} if changes else {}),
    }
    manifest = {
        "format": FORMAT,
        **entry,
        "statuses": {c.contest: str(c.snapshot.result.status) for c in day.contests},
        "previous": pointer["version"] if pointer else None,
        "content": content,
        "groups": groups,
    }
    body = json.dumps(manifest, ensure_ascii=False, separators=(",", ":")).encode()
    target.put(manifest_key(number), body, JSON, IMMUTABLE)
    bytes_written += len(body)
    done(manifest_key(number))
    point(target, entry)
    _write_versions(target, [*known, entry])
    return Published(number, total, written + 1, bytes_written, skipped, time.perf_counter() - started, new=True)


def _held(day: DaySource) -> bool:
    return any(c.snapshot.held for c in day.contests)


def _edition(
    target: Target,
    source: Source,
    number: int,
    preview: bool,
    reason: str,
    before: Mapping[str, Any],
    changes: list[dict[str, Any]],
    earlier: list[dict[str, Any]],
    links: list[ContestLink],
) -> Edition:
    """One contest's files in version `number`; what it corrects is added to `changes` as it is rendered."""
    snapshot, contest = source.snapshot, source.contest
    prefix = f"{contest}/" if contest else ""
    mark = {"contest": contest} if contest else {}
    mine: list[dict[str, Any]] = [c for c in changes if c.get("contest", "") == contest]

    def history(station: int, protocols: list[dict[str, Any]]) -> list[dict[str, Any]]:
        group = before.get(f"{prefix}station/{station}")
        last = read_json(target, f"v/{group['at']}/{prefix}station/{station}.json") if group else None
        found = [{**c, **mark} for c in station_changes(number, last, protocols, source.reasons, reason)]
        changes.extend(found)
        mine.extend(found)
        return [*(last or {}).get("corrections", []), *found]

    def ledger() -> list[dict[str, Any]]:
        return [*(c for c in earlier if c.get("contest", "") == contest), *mine]

    return Edition(
        snapshot,
        number,
        source.bundle,
        preview=preview,
        history=history,
        ledger=ledger,
        nist_status=lambda: "correction" if changes else None,
        contest=contest,
        day=links if len(links) > 1 else (),
    )


def _version_files(
    day: DaySource, editions: list[Edition], changes: list[dict[str, Any]], where: Locator
) -> list[File]:
    """The version's own files: each contest's pages and downloads, and the day's NIST report (several)."""
    files: list[File] = []
    for edition in editions:
        files += edition.version_files(where)
    if day.several and day.day is not None and day.day.date is not None:
        results = []
        counts: dict[str, StationCount | None] = {}
        for edition, source in zip(editions, day.contests, strict=True):
            contest = day.day.contest(source.contest)
            if contest is None:
                continue
            results.append((contest, source.snapshot.result))
            counts[source.contest] = StationCount(edition.stations, source.snapshot.accepted)
        built = max(c.snapshot.built for c in day.contests)
        report = day_report(day.day, results, counts, "correction" if changes else None, built)
        files.append(
            File("results.nist.json", json.dumps(report, ensure_ascii=False, separators=(",", ":")).encode(), JSON)
        )
        files.append(File("results.nist.xml", render_nist_xml(report), XML))
    return files


def release(
    public: Target,
    source: Source | DaySource,
    preview: Target | None = None,
    now: datetime | None = None,
    **options: Any,
) -> tuple[Published | None, Published | None]:
    """Publish through each contest's gate: to `public` once some contest's gate is open (a contest still held
    shows no protocol there); while any contest is held, to `preview` (staff) too, every contest counted, marked
    as a preview. Returns what each target got (None: nothing)."""
    day = day_of(source)
    when = now or datetime.now(UTC)
    opened = day.open_at(when)
    public_done = publish(public, day.gated(when), **options) if any(opened) else None
    if preview is None or all(opened):
        return public_done, None
    return public_done, publish(preview, day, preview=True, **options)


def _content(day: DaySource, preview: bool) -> str:
    """What a version shows, less its number and time: a version equal to the newest one is not published."""
    shown: list[Any] = [preview, renderer()]
    for source in day.contests:
        snapshot = source.snapshot
        protocols = sorted(
            ([p.station, p.ballot, [p.figure(n) for n in FIGURES], sorted(p.votes.items())] for p in snapshot.accepted),
            key=lambda row: (row[0], row[1]),
        )
        shown.append(
            [source.contest, protocols, str(snapshot.result.status), source.bundle.get("sha256"), snapshot.held]
        )
    return sha256(json.dumps(shown, ensure_ascii=False, default=str).encode())


def point(target: Target, entry: Mapping[str, Any]) -> None:
    """Move the pointer to a stored version (atomic), then the root page that follows it."""
    if not target.exists(str(entry["manifest"])):
        raise InputError([Problem(f"version {entry['version']} has no manifest: not a whole version", field="version")])
    pointer = {"format": FORMAT, **{k: v for k, v in entry.items() if k != "note"}}
    target.put(POINTER_KEY, json.dumps(pointer, ensure_ascii=False, indent=1).encode(), JSON, POINTER)
    target.put("index.html", _root_page(pointer).encode(), HTML, POINTER)


def rollback(target: Target, version: int) -> dict[str, Any]:
    """Point readers back (or forward) at a version already published; its files are untouched."""
    for entry in versions(target):
        if int(entry["version"]) == version:
            point(target, entry)
            return entry
    raise InputError([Problem(f"version {version} was never published here", field="version")])


def _write_versions(target: Target, entries: list[dict[str, Any]]) -> None:
    """The versions list and the feeds (derived from the pointer's history: written after it)."""
    body = json.dumps({"format": FORMAT, "versions": entries}, ensure_ascii=False, indent=1).encode()
    target.put(VERSIONS_KEY, body, JSON, POINTER)
    for lang in PAGE_LANGUAGES:
        title = feed_title(lang)
        target.put(f"feed.{lang}.atom", render_atom(entries, lang, title), "application/atom+xml", POINTER)
        target.put(f"feed.{lang}.json", render_json_feed(entries, lang, title), JSON, POINTER)


def _root_page(pointer: Mapping[str, Any]) -> str:
    """A stable address (`/` or `/index.html`) that sends readers to the current version in their language
    (`?lang=`, else the browser's), to the contest `?contest=` names on a day of several."""
    index = pointer["index"]
    default = index.get("kk") or next(iter(index.values()))
    links = " · ".join(f'<a href="{path}" hreflang="{lang}">{lang}</a>' for lang, path in index.items())
    choose = json.dumps(index)
    contests = json.dumps(pointer.get("contests", {}))
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>saylau</title>'
        f"<script>(function(){{var i={choose},c={contests},p=new URLSearchParams(location.search);"
        "var l=p.get('lang')||(navigator.language||'').slice(0,2),q=p.get('contest');if(q&&c[q]){i=c[q];}"
        "location.replace(i[l]||i.kk||i[Object.keys(i)[0]]);}());</script>"
        f'<noscript><meta http-equiv="refresh" content="0; url={default}"></noscript>'
        f"</head><body><p>{links}</p></body></html>\n"
    )
