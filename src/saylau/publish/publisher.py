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
from saylau.publish.pages import HTML, JSON, Edition, File, Locator, renderer, sha256
from saylau.publish.targets import IMMUTABLE, POINTER, Target
from saylau.tabulation import FIGURES
from saylau.web.snapshot import Snapshot

FORMAT = "saylau-publish/1"
BATCH = 512
"""Files rendered before they are stored together (a bucket uploads a batch in parallel)."""
POINTER_KEY = "current.json"
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
    snapshot: Snapshot,
    bundle: Mapping[str, Any] | None = None,
    version: int | None = None,
    note: Mapping[str, Any] | None = None,
    extra: Callable[[Locator], list[File]] | None = None,
    nist_status: str | None = None,
    on_file: Callable[[str], None] | None = None,
) -> Published:
    """Store `snapshot` as a new version of `target` and move the pointer to it.

    `version` defaults to the snapshot's own (the service's audit head) or, offline, one past the newest
    version stored. `note` is kept in the manifest and the versions list (what changed and why: corrections).
    `on_file` is called after each stored file (progress; tests stop the publisher there).
    """
    started = time.perf_counter()
    known = versions(target)
    pointer = current(target)
    if pointer and all(int(v["version"]) != int(pointer["version"]) for v in known):
        known.append({k: v for k, v in pointer.items() if k != "format"})  # killed before the list was written
    newest = max([int(v["version"]) for v in known] + [int(pointer["version"]) if pointer else 0])
    number = version or snapshot.version or newest + 1
    stored = read_json(target, manifest_key(number))
    if stored is not None:
        if all(int(v["version"]) != number for v in known):  # stored whole, then stopped before the pointer
            entry = {k: v for k, v in stored.items() if k not in ("format", "previous", "content", "groups")}
            point(target, entry)
            _write_versions(target, [*known, entry])
        return Published(number, 0, 0, 0, 0, time.perf_counter() - started, new=False)
    if number <= newest:
        raise InputError([Problem(f"version {number} is older than the newest published ({newest})", field="version")])
    previous = read_json(target, pointer["manifest"]) if pointer else None
    before: dict[str, Any] = previous["groups"] if previous else {}
    content = _content(snapshot, bundle, note, nist_status)
    if previous is not None and previous.get("content") == content and int(previous["version"]) == newest:
        return Published(int(previous["version"]), 0, 0, 0, 0, time.perf_counter() - started, new=False)
    edition = Edition(snapshot, number, bundle, extra, nist_status)
    where = Locator()
    groups: dict[str, Any] = {}
    written = bytes_written = skipped = total = 0
    pending: list[tuple[str, bytes, str, str]] = []

    def done(key: str) -> None:
        if on_file is not None:
            on_file(key)

    for group in edition.groups():
        old = before.get(group.name)
        if group.source is not None and old is not None and old.get("source") == group.source:
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
            groups[group.name] = {**old, "source": group.source}
            skipped += len(files)
            continue
        pending += [(f"v/{number}/{f.path}", f.body, f.media, IMMUTABLE) for f in files]
        written += len(files)
        bytes_written += sum(len(f.body) for f in files)
        if len(pending) >= BATCH:
            target.put_many(pending, done)
            pending = []
        where.at[group.name] = number
        groups[group.name] = {"source": group.source, "at": number, "files": entries}
    target.put_many(pending, done)
    built = snapshot.built.astimezone(UTC).isoformat()
    entry = {
        "version": number,
        "built": built,
        "published": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "status": str(snapshot.result.status),
        "manifest": manifest_key(number),
        "index": {lang: f"v/{where.at['version']}/{lang}/index.html" for lang in ("kk", "ru", "en")},
        **({"note": dict(note)} if note else {}),
    }
    manifest = {
        "format": FORMAT,
        **entry,
        "previous": pointer["version"] if pointer else None,
        "content": content,
        "groups": groups,
    }
    body = json.dumps(manifest, ensure_ascii=False, separators=(",", ":")).encode()
    target.put(manifest_key(number), body, JSON, IMMUTABLE)
    bytes_written += len(body)
    if on_file is not None:
        on_file(manifest_key(number))
    point(target, entry)
    _write_versions(target, [*known, entry])
    return Published(number, total, written + 1, bytes_written, skipped, time.perf_counter() - started, new=True)


def _content(
    snapshot: Snapshot, bundle: Mapping[str, Any] | None, note: Mapping[str, Any] | None, nist_status: str | None
) -> str:
    """What a version shows, less its number and time: a version equal to the newest one is not published."""
    protocols = sorted(
        ([p.station, p.ballot, [p.figure(n) for n in FIGURES], sorted(p.votes.items())] for p in snapshot.accepted),
        key=lambda row: (row[0], row[1]),
    )
    shown = [protocols, str(snapshot.result.status), (bundle or {}).get("sha256"), note, nist_status, renderer()]
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
    body = json.dumps({"format": FORMAT, "versions": entries}, ensure_ascii=False, indent=1).encode()
    target.put(VERSIONS_KEY, body, JSON, POINTER)


def _root_page(pointer: Mapping[str, Any]) -> str:
    """A stable address (`/` or `/index.html`) that sends readers to the current version in their language."""
    index = pointer["index"]
    default = index.get("kk") or next(iter(index.values()))
    links = " · ".join(f'<a href="{path}" hreflang="{lang}">{lang}</a>' for lang, path in index.items())
    choose = json.dumps(index)
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={default}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>saylau</title>'
        f"<script>(function(){{var i={choose};var l=(navigator.language||'').slice(0,2);"
        "if(i[l]){location.replace(i[l]);}}());</script>"
        f"</head><body><p>{links}</p></body></html>\n"
    )
