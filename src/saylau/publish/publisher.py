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

import gc
import json
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from saylau.errors import InputError, worded
from saylau.publish.ahead import Ahead
from saylau.publish.corrections import UNCERTIFIED, station_changes
from saylau.publish.pages import (
    HTML,
    JSON,
    PAGE_LANGUAGES,
    ContestLink,
    Edition,
    File,
    Group,
    Locator,
    mark_scans,
    nist_files,
    renderer,
    sha256,
)
from saylau.publish.source import DaySource, Source, day_of
from saylau.publish.targets import IMMUTABLE, POINTER, Target
from saylau.reports.feeds import feed_title, render_atom, render_json_feed
from saylau.reports.nist import STATUSES, StationCount
from saylau.reports.nist_day import contest_report, joined_report

FORMAT = "saylau-publish/1"
BATCH = 512
"""Files rendered before they are stored together (a bucket uploads a batch in parallel)."""
DAY_PARTS: dict[str, tuple[str, dict[str, Any]]] = {}
"""Each contest's part of the day's NIST report (`contest_report`) as this process last made it, with what it
was made of (the contest's content): an unchanged contest's part is given to `joined_report` again."""
POINTER_KEY = "current.json"
REPORT_SHARE = 0.1
"""The most of a watching publisher's time the NIST report may take while the night goes on (`publish`'s
`report_share`, which `saylau publish service --watch` sets): a changed report waits, the version linking the last
one made, until the time since that one was made is at least its making time over this share."""
_REPORTS_MADE: dict[str, tuple[float, float]] = {}
"""Target -> when (`time.monotonic()`) this process last made the NIST report of a version there, and in how many
seconds."""
_MANIFEST_ONLY = ("format", "previous", "content", "groups", "statuses")
_STATIONS: dict[str, dict[str, tuple[int, int, list[dict[str, Any]], list[dict[str, Any]]]]] = {}
"""Target -> a station's group (`majilis/station/101`) -> the version this process last made its files for, the
station, its protocols and its corrections as that version's `station/N.json` holds them: the next version that
changes the station finds what it corrects here rather than reading the file back (files under `v/` never change,
and a group is taken from here only when the manifest places it at that very version)."""
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


_KEPT = 4
"""Manifests kept in memory per process (the newest ones: a `--watch` publisher reads the one it wrote)."""
_MANIFESTS: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()


def manifest(target: Target, key: str) -> dict[str, Any] | None:
    """A version's manifest: from memory when this process wrote or read it (nothing under `v/` changes once
    stored, so a kept copy is the stored one), else read (and kept). A manifest lists every file of the
    version, megabytes at a country's size: reading and decoding it was a second of each new version."""
    found = _MANIFESTS.get((target.describe(), key))
    if found is None:
        found = read_json(target, key)
        if found is not None:
            _keep(target, key, found)
    return found


def _keep(target: Target, key: str, data: dict[str, Any]) -> None:
    _MANIFESTS[target.describe(), key] = data
    _MANIFESTS.move_to_end((target.describe(), key))
    while len(_MANIFESTS) > _KEPT:
        _MANIFESTS.popitem(last=False)


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
    keep: bool = True,
    report_share: float | None = None,
) -> Published:
    """Store every contest of `source` as a new version of `target` and move the pointer to it (no gate: see
    `release`).

    `version` defaults to the snapshots' own (the service's audit head; the oldest of them, `DaySource.version`)
    or, offline, one past the newest version stored. `preview` marks every page as a preview for staff. `reason`
    is the reason of a correction that the source does not record itself (offline). `on_file` is called after
    each stored file (progress; tests stop the publisher there). `keep`: once the version is out, make again in
    this process what a forked process made for it (a target's first NIST report), so that this process's next
    version is written from it (False for a process that publishes once). `report_share` (None: the report is
    always the version's own): while no contest's status or gate changed since the newest version and nothing is
    corrected, a changed NIST report is not made again until the time since this process last made one is at
    least its making time over this share (`REPORT_SHARE`): the version links the last one (a night moving faster
    than its report can be written).
    """
    with _collected_after():
        return _publish(target, source, version, preview, reason, on_file, keep, report_share)


@contextmanager
def _collected_after() -> Iterator[None]:
    """Python's cycle collector paused while a version is made (and run as usual after): a version makes a few
    hundred thousand objects, and each full collection would walk every object the process keeps, the last
    NIST report's among them (about a tenth of a correction's time at 10,000 stations)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _publish(
    target: Target,
    source: Source | DaySource,
    version: int | None,
    preview: bool,
    reason: str,
    on_file: Callable[[str], None] | None,
    keep: bool,
    report_share: float | None = None,
) -> Published:
    started = time.perf_counter()
    day = day_of(source)
    known, pointer, newest = _history(target)
    number = version or day.version or newest + 1
    if not version and day.version:
        number = _numbered(target, day, number, newest)
    if _resumed(target, number, known):
        return Published(number, 0, 0, 0, 0, time.perf_counter() - started, new=False)
    if number <= newest:
        raise InputError([worded(OLDER, field="version", number=number, newest=newest)])
    previous = manifest(target, pointer["manifest"]) if pointer else None
    run = _Run(target, number, preview, reason, previous, known, on_file)
    if report_share is not None and previous is not None:
        unchanged = previous.get("statuses") == _statuses(day) and previous.get("held", []) == _held_list(day)
        run.report_share = report_share if unchanged else None
    run.links = [ContestLink(c.contest, f"{c.contest}/" if c.contest else "", c.names) for c in day.contests]
    editions = [run.edition(c) for c in day.contests]
    plan = _plan(day, editions, run.changes)
    content = sha256(json.dumps([preview, renderer(), [e.content() for e in editions]]).encode())
    if previous is not None and previous.get("content") == content and int(previous["version"]) == newest:
        return Published(int(previous["version"]), 0, 0, 0, 0, time.perf_counter() - started, new=False)
    run.store(plan)
    entry = _entry(day, run)
    manifest_data = {
        "format": FORMAT,
        **entry,
        "statuses": _statuses(day),
        "previous": pointer["version"] if pointer else None,
        "content": content,
        "groups": run.groups,
    }
    body = json.dumps(manifest_data, ensure_ascii=False, separators=(",", ":")).encode()
    target.put(manifest_key(number), body, JSON, IMMUTABLE)
    _keep(target, manifest_key(number), manifest_data)
    run.done(manifest_key(number))
    point(target, entry)
    _write_versions(target, [*known, entry])
    if keep:
        run.made_here()
    written, size = run.written + 1, run.bytes_written + len(body)
    return Published(number, run.total, written, size, run.skipped, time.perf_counter() - started, new=True)


def _history(target: Target) -> tuple[list[dict[str, Any]], dict[str, Any] | None, int]:
    """The versions published on `target` (with the pointer's, when the publisher was killed before the list
    was written), the pointer, and the newest version's number (0: none)."""
    known = versions(target)
    pointer = current(target)
    if pointer and all(int(v["version"]) != int(pointer["version"]) for v in known):
        known.append({k: v for k, v in pointer.items() if k != "format"})  # killed before the list was written
    newest = max([int(v["version"]) for v in known] + [int(pointer["version"]) if pointer else 0])
    return known, pointer, newest


def _numbered(target: Target, day: DaySource, number: int, newest: int) -> int:
    """The number of a version of the service's count: its audit head (`number`), unless a version of that
    number is stored already and shows something else, for the same head behind another gate (a contest's
    close of polls passed with no write: its figures go public, the head does not move) or for an earlier head
    (numbered after such a version): then one past the newest stored. Such a version names its head (`head`,
    which `head_of` reads) and every later one is numbered after it."""
    held = _held_list(day)
    while (stored := manifest(target, manifest_key(number))) is not None:
        if head_of(stored) == day.version and stored.get("held", []) == held:
            return number  # this very version (stopped before the pointer, or already out): `_resumed`
        number = max(number, newest) + 1
    return number


def head_of(entry: Mapping[str, Any]) -> int:
    """The audit head a version of the service's count stands at (`head`: its number when none is said)."""
    return int(entry.get("head", entry["version"]))


def _resumed(target: Target, number: int, known: list[dict[str, Any]]) -> bool:
    """Whether version `number` is stored whole already; pointed at now if it was stopped before the pointer."""
    stored = manifest(target, manifest_key(number))
    if stored is None:
        return False
    if all(int(v["version"]) != number for v in known):  # stored whole, then stopped before the pointer
        entry = {k: v for k, v in stored.items() if k not in _MANIFEST_ONLY}
        point(target, entry)
        _write_versions(target, [*known, entry])
    return True


class _Run:
    """One version being stored: what it corrects (`changes`), where each group lies (`where`, `groups`: the
    manifest's), and what was written and skipped."""

    def __init__(
        self,
        target: Target,
        number: int,
        preview: bool,
        reason: str,
        previous: Mapping[str, Any] | None,
        known: list[dict[str, Any]],
        on_file: Callable[[str], None] | None,
    ) -> None:
        self.target, self.number, self.preview, self.reason, self.on_file = target, number, preview, reason, on_file
        self.before: Mapping[str, Any] = previous["groups"] if previous else {}
        self.statuses = dict((previous or {}).get("statuses") or {})
        if previous is not None and not self.statuses:  # a version of one contest: its status is the contest's
            self.statuses = {"": previous.get("status")}
        self.changes: list[dict[str, Any]] = []
        self.earlier = [c for v in known for c in v.get("note", {}).get("changes", [])]
        self.links: list[ContestLink] = []
        self.where = Locator()
        self.groups: dict[str, Any] = {}
        self.written = self.bytes_written = self.skipped = self.total = 0
        self.ahead: list[Group] = []
        self.report_share: float | None = None
        """Set where the NIST report may wait (`publish`'s `report_share`)."""

    def done(self, key: str) -> None:
        if self.on_file is not None:
            self.on_file(key)

    def _published_station(self, name: str, at: int) -> Mapping[str, Any] | None:
        """What version `at` published of a station (`name`: its group): its protocols and corrections, as this
        process made them for that version (`_STATIONS`), else read back from its `station/N.json`."""
        kept = _STATIONS.get(self.target.describe(), {}).get(name)
        if kept is not None and kept[0] == at:
            _at, station, protocols, corrections = kept
            return {"station": station, "protocols": protocols, "corrections": corrections}
        return read_json(self.target, f"v/{at}/{name}.json")

    def edition(self, source: Source) -> Edition:
        """One contest's files in this version; what it corrects is added to `changes` as it is rendered."""
        snapshot, contest = source.snapshot, source.contest
        if self.statuses.get(contest) == "certified" and str(snapshot.result.status) != "certified":
            change = {"version": self.number, "kind": UNCERTIFIED, "reason": source.uncertified or self.reason}
            self.changes.append({**change, **({"contest": contest} if contest else {})})
        prefix = f"{contest}/" if contest else ""
        mark = {"contest": contest} if contest else {}
        mine: list[dict[str, Any]] = [c for c in self.changes if c.get("contest", "") == contest]

        def history(station: int, protocols: list[dict[str, Any]]) -> list[dict[str, Any]]:
            name = f"{prefix}station/{station}"
            group = self.before.get(name)
            last = self._published_station(name, int(group["at"])) if group else None
            found = [{**c, **mark} for c in station_changes(self.number, last, protocols, source.reasons, self.reason)]
            self.changes.extend(found)
            mine.extend(found)
            corrections = [*(last or {}).get("corrections", []), *found]
            _STATIONS.setdefault(self.target.describe(), {})[name] = (self.number, station, protocols, corrections)
            return corrections

        def ledger() -> list[dict[str, Any]]:
            return [*(c for c in self.earlier if c.get("contest", "") == contest), *mine]

        return Edition(
            snapshot,
            self.number,
            source.bundle,
            preview=self.preview,
            history=history,
            ledger=ledger,
            nist_status=lambda: "correction" if self.changes else None,
            contest=contest,
            day=self.links if len(self.links) > 1 else (),
            scans=source.scans,
            scan_bytes=source.scan_bytes,
        )

    def store(self, plan: list[Group]) -> None:
        """Each group in turn: skipped when its source (else its bytes) is what the previous version stored,
        else rendered and stored (in batches: a bucket uploads a batch in parallel). A changed group made from
        the count alone (the NIST report) is made ahead, in another process, once every changed group's
        corrections are known, when the target has no version yet."""
        for group in plan:
            if group.prepare is not None and self._changed(group):
                group.prepare()
        # made ahead for a target's first version only: a later one's report is written from the last one this
        # process wrote (publish.reuse), which a forked process would not keep
        ahead = not self.before
        early = {g.name: Ahead(partial(g.render, self.where)) for g in plan if ahead and g.alone and self._changed(g)}
        try:
            self._store(plan, early)
        finally:
            for waiting in early.values():
                waiting.cancel()
        self.ahead = [g for g in plan if g.name in early and early[g.name].elsewhere]

    def made_here(self) -> None:
        """Make again here what a forked process made (once the version is out: the pointer has moved), so that
        this process keeps it and the next version's NIST report is written from it (publish.reuse) rather
        than whole, on the next correction's way out."""
        for group in self.ahead:
            making = time.monotonic()
            group.render(self.where)
            _REPORTS_MADE[self.target.describe()] = (making, time.monotonic() - making)  # what it takes here

    def _changed(self, group: Group) -> bool:
        old = self.before.get(group.name)
        origin = group.source_at(self.where)
        return origin is None or old is None or old.get("source") != origin

    def _store(self, plan: list[Group], early: Mapping[str, Ahead]) -> None:
        pending: list[tuple[str, bytes, str, str]] = []
        for group in plan:
            old = self.before.get(group.name)
            origin = group.source_at(self.where)
            if origin is not None and old is not None and old.get("source") == origin:
                self._place(group.name, old)
                self.skipped += len(old["files"])
                continue
            if group.alone and old is not None and self._report_waits():
                self._place(group.name, old)  # its old source: the next version asks again
                self.skipped += len(old["files"])
                continue
            making = time.monotonic()
            files = early[group.name].files() if group.name in early else group.render(self.where)
            if group.alone:
                _REPORTS_MADE[self.target.describe()] = (making, time.monotonic() - making)
            entries = {f.path: [sha256(f.body), len(f.body), f.media] for f in files}
            if old is not None and old["files"] == entries:
                self._place(group.name, {**old, "source": origin})
                self.skipped += len(files)
                continue
            pending += [(f"v/{self.number}/{f.path}", f.body, f.media, IMMUTABLE) for f in files]
            self.written += len(files)
            self.bytes_written += sum(len(f.body) for f in files)
            if len(pending) >= BATCH:
                self.target.put_many(pending, self.done)
                pending = []
            self._place(group.name, {"source": origin, "at": self.number, "files": entries})
        self.target.put_many(pending, self.done)

    def _report_waits(self) -> bool:
        """Whether the NIST report, changed, may stay the last one made (`publish`'s `report_share`)."""
        made = _REPORTS_MADE.get(self.target.describe())
        if self.report_share is None or self.changes or made is None:
            return False
        when, took = made
        return time.monotonic() - when < took / self.report_share

    def _place(self, name: str, group: dict[str, Any]) -> None:
        self.where.at[name] = int(group["at"])
        self.where.files[name] = group["files"]
        self.groups[name] = group
        self.total += len(group["files"])


def _plan(day: DaySource, editions: list[Edition], changes: list[dict[str, Any]]) -> list[Group]:
    """Every group of the version, in the order links need them: the static files once, each contest's stations,
    bulk files and districts, the NIST report, then the version's own files (every contest's pages)."""
    plan: list[Group] = []
    for edition in editions:
        made = edition.groups()
        plan += [g for g in made if g.name != f"{edition.prefix}version" and (g.name != "static" or not plan)]
    if day.several and day.day is not None and day.day.date is not None:

        def source(_where: Locator) -> str:
            shown = ["nist-day", [e.content() for e in editions], "correction" if changes else None]
            return sha256(json.dumps(shown).encode())

        plan.append(Group("nist", source, lambda _where: _day_nist(day, editions, changes), alone=True))
    plan.append(Group("version", None, lambda where: [f for e in editions for f in e.version_files(where)]))
    return plan


def _entry(day: DaySource, run: _Run) -> dict[str, Any]:
    """The version as the pointer and the versions list name it."""
    at = run.where.at["version"]
    shown = {str(c.snapshot.result.status) for c in day.contests}
    index = {lang: f"v/{at}/{run.links[0].prefix}{lang}/index.html" for lang in PAGE_LANGUAGES}
    contests = {
        link.id: {lang: f"v/{at}/{link.prefix}{lang}/index.html" for lang in PAGE_LANGUAGES} for link in run.links
    }
    return {
        "version": run.number,
        "built": max(c.snapshot.built for c in day.contests).astimezone(UTC).isoformat(),
        "published": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "status": next(s for s in ("partial", "complete", "certified") if s in shown),
        "manifest": manifest_key(run.number),
        "index": index,
        **({"contests": contests} if day.several else {}),
        **({"held": _held_list(day)} if _held(day) else {}),
        **({"head": day.version} if day.version and day.version != run.number else {}),
        **({"preview": True} if run.preview else {}),
        **({"note": {"changes": run.changes}} if run.changes else {}),
    }


def _statuses(day: DaySource) -> dict[str, str]:
    """Each contest's status in this version (the manifest's `statuses`)."""
    return {c.contest: str(c.snapshot.result.status) for c in day.contests}


def _held(day: DaySource) -> bool:
    return any(c.snapshot.held for c in day.contests)


def _held_list(day: DaySource) -> list[str]:
    """The contests a gate holds in this version (the pointer's `held`)."""
    return [c.contest or "election" for c in day.contests if c.snapshot.held]


def _day_nist(day: DaySource, editions: list[Edition], changes: list[dict[str, Any]]) -> list[File]:
    """The day's NIST report: one Election with every contest's Contests (as `saylau report DAY --format nist`),
    each contest's part kept from the last report this process made while its count is unchanged (DAY_PARTS)."""
    assert day.day is not None
    built = max(c.snapshot.built for c in day.contests)
    status = "correction" if changes else None
    parts = []
    for edition, source in zip(editions, day.contests, strict=True):
        contest = day.day.contest(source.contest)
        if contest is None:
            continue
        result = source.snapshot.result
        key = edition.content()
        shown = STATUSES.get(status or str(result.status), status or "")  # the part's Status, as exported
        kept = DAY_PARTS.get(source.contest)
        if kept is not None and kept[0] == key and (kept[1]["Status"] == shown or shown in _KEPT_STATUSES):
            part = kept[1] if kept[1]["Status"] == shown else {**kept[1], "Status": shown}
        else:
            part = contest_report(result, StationCount(edition.stations, source.snapshot.accepted), status, built)
        DAY_PARTS[source.contest] = (key, part)
        parts.append((contest, part))
    report = joined_report(day.day, parts, status, built)
    mark_scans(report, [(source.contest, source.scans) for source in day.contests])
    return nist_files(report)


_KEPT_STATUSES = {*STATUSES.values(), "correction"}
"""Statuses a kept contest's part may take in place of its own (a part differs in nothing else)."""


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


def point(target: Target, entry: Mapping[str, Any]) -> None:
    """Move the pointer to a stored version (atomic), then the root page that follows it."""
    if not target.exists(str(entry["manifest"])):
        raise InputError([worded(NOT_WHOLE, field="version", number=entry["version"])])
    pointer = {"format": FORMAT, **{k: v for k, v in entry.items() if k != "note"}}
    target.put(POINTER_KEY, json.dumps(pointer, ensure_ascii=False, indent=1).encode(), JSON, POINTER)
    target.put("index.html", _root_page(pointer).encode(), HTML, POINTER)


def rollback(target: Target, version: int) -> dict[str, Any]:
    """Point readers back (or forward) at a version already published; its files are untouched."""
    for entry in versions(target):
        if int(entry["version"]) == version:
            point(target, entry)
            return entry
    raise InputError([worded("version {number} was never published here", field="version", number=version)])


OLDER = "version {number} is older than the newest published ({newest})"
NOT_WHOLE = "version {number} has no manifest: not a whole version"
"""The versions a target refuses (msgids of the catalogues)."""


def _write_versions(target: Target, entries: list[dict[str, Any]]) -> None:
    """The versions list and the feeds (derived from the pointer's history: written after it)."""
    body = json.dumps({"format": FORMAT, "versions": entries}, ensure_ascii=False, indent=1).encode()
    files = [(VERSIONS_KEY, body, JSON, POINTER)]
    for lang in PAGE_LANGUAGES:
        title = feed_title(lang)
        files.append((f"feed.{lang}.atom", render_atom(entries, lang, title), "application/atom+xml", POINTER))
        files.append((f"feed.{lang}.json", render_json_feed(entries, lang, title), JSON, POINTER))
    target.put_many(files, lambda _key: None)  # in parallel to a bucket: none of them names another


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
