"""Where published files go: a folder any static web server serves, or an S3-compatible bucket.

A target stores whole files under keys (`v/17/kk/index.html`, `current.json`); each write is atomic on its
own (a folder writes a temporary file and renames it over the key; a bucket's PUT replaces an object whole),
so a reader, or a publisher killed between two files, never sees half a file. A folder writes a version's own
files (`put_many`, `IMMUTABLE`) in place instead: nothing names them until the version's manifest is stored.
A folder also stores each text file gzip-compressed beside it (`index.html.gz`), written just before the file
itself, so that nginx's `gzip_static` sends a reader who accepts gzip those bytes without compressing them per
request; a polling station's own files excepted (`compressed`: read by few, most of a night's files).
The order of the writes (every file of a version, then its manifest, then the pointer) is the
publisher's (`saylau.publish.publisher`).

Credentials of a bucket come from the environment only (boto3's own chain: `AWS_ACCESS_KEY_ID`,
`AWS_SECRET_ACCESS_KEY`, `AWS_PROFILE`, an instance role...); the target's description, the manifest and
the logs name the bucket, the prefix and the endpoint, never a key.
"""

from __future__ import annotations

import gzip
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from saylau.errors import InputError, Phrase, worded

IMMUTABLE = "public, max-age=31536000, immutable"
"""Cache rule of every file under `v/`: a version never changes, so a CDN may keep it for a year."""

POINTER = "public, max-age=2, must-revalidate"
"""Cache rule of the pointer and the files derived from it (root page, feeds): a reader sees a new version
within seconds, and a CDN still absorbs a crowd that asks in the same second."""


UPLOADS = 32
"""Uploads in flight at once to a bucket."""

COMPRESSED = frozenset(
    {
        "text/html",
        "text/css",
        "text/javascript",
        "text/csv",
        "application/json",
        "application/xml",
        "application/atom+xml",
        "image/svg+xml",
    }
)
"""Media types a folder stores with a gzip-compressed sibling (`KEY.gz`): text, which gzip makes 4 to 10 times
smaller; scans (JPEG, PNG, PDF) are compressed already."""

FAST_FROM = 1 << 20
"""Bodies at least this long (bytes: the NIST report, a country's bulk open data) are compressed at gzip's
fastest level, the others at its default: the publisher compresses each file once per version it writes."""


def gzipped(body: bytes) -> bytes:
    """`body` as a `.gz` sibling: gzip with no name and no time in its header, so the same bytes give the same
    sibling."""
    return gzip.compress(body, compresslevel=1 if len(body) >= FAST_FROM else 6, mtime=0)


def compressed(media: str, key: str = "") -> bool:
    """Whether a file of `media` (`text/html; charset=utf-8`) stored under `key` gets a `.gz` sibling in a folder:
    text, but not a polling station's own files (`.../station/N.html`, `station/N.json`, `station/N.csv`).

    Those are most of a night's version (every station that changed: at 2,000 stations 15,040 of its 17,100
    files, about 3 KB each) and are read by the few who look up one station; their siblings were 15,040 more
    files to create and compress, and storing a version took 1.1 to 1.7 s without them against 3.2 to 4.5 s with
    them (6 December 2026, docs/publishing.md). A reader of one still gets it compressed where the server
    compresses what has no sibling (nginx's `gzip on`, a CDN)."""
    if key.rpartition("/")[0].rpartition("/")[2] == "station":
        return False
    return media.partition(";")[0].strip() in COMPRESSED


class Target(Protocol):
    """A place that stores published files by key."""

    def put(self, key: str, body: bytes, media: str, cache: str) -> object:
        """Store `body` under `key`, whole or not at all."""

    def get(self, key: str) -> bytes | None:
        """The stored bytes of `key`, or None when there is none."""

    def exists(self, key: str) -> bool:
        """Whether `key` is stored."""

    def describe(self) -> str:
        """Where the files go, for messages (never a credential)."""

    def put_many(self, items: Sequence[tuple[str, bytes, str, str]], done: Callable[[str], None]) -> None:
        """Store each (key, body, media, cache), calling `done(key)` after each; all are stored when it returns."""


class FolderTarget:
    """A folder on disk: `root/v/17/...`, `root/current.json`; serve it with any static web server (with nginx's
    `gzip_static on`, the `.gz` sibling of each text file to a reader who accepts gzip)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return Path(self._file(key))

    def _file(self, key: str) -> str:
        """The file of `key` under the root, as a string: a version writes tens of thousands of files, and making
        a `Path` of each (its parts parsed, joined) was a tenth of storing them at 10,146 stations."""
        if not key or any(part in ("", ".", "..") for part in key.split("/")):
            raise ValueError(Phrase("not a plain key: {key}", key=repr(key)))
        return f"{self.root}/{key}"

    def put(self, key: str, body: bytes, media: str, cache: str) -> None:
        """Store `body` under `key`, and a text file's gzip sibling just before it: a key that is replaced (the
        pointer) has its sibling replaced first, so a reader who asks for gzip is never sent an older pointer
        than the plain file's once the plain file is stored (a version's files are all stored before either)."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        if compressed(media, key):
            self._write(path.with_name(path.name + ".gz"), gzipped(body))
        self._write(path, body)

    def _write(self, path: Path, body: bytes) -> None:
        handle, temporary = tempfile.mkstemp(prefix=".saylau-", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(body)
            os.chmod(temporary, 0o644)  # readable by a web server's own user, as files it serves must be
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def describe(self) -> str:
        return str(self.root)

    def put_many(self, items: Sequence[tuple[str, bytes, str, str]], done: Callable[[str], None]) -> None:
        """Each file as `put` does, but a version's own files (cached as `IMMUTABLE`) are written in place: no
        reader is sent to one before the manifest naming it is stored (`put`, whole), and a publisher stopped
        half-way writes the version again, each file from its start, before that manifest. A temporary file
        (`mkstemp`), a chmod and a rename for each of them were a fifth of a version's time at 2,000 stations
        (cProfile, 6 December 2026), two file system entries made for each file stored."""
        folders: set[str] = set()  # made in this call: a version's thousands of files lie in a few folders
        for key, body, media, cache in items:
            if cache == IMMUTABLE:
                self._put_in_place(key, body, media, folders)
            else:
                self.put(key, body, media, cache)
            done(key)

    def _put_in_place(self, key: str, body: bytes, media: str, folders: set[str]) -> None:
        path = self._file(key)
        folder = path.rpartition("/")[0]
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        if compressed(media, key):
            _write_in_place(path + ".gz", gzipped(body))
        _write_in_place(path, body)

    def stored(self) -> Iterator[str]:
        """Every stored key (for tests and checks), temporary files left by a killed writer excluded."""
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.name.startswith(".saylau-"):
                yield path.relative_to(self.root).as_posix()


def _write_in_place(path: str, body: bytes) -> None:
    """`body` into the file at `path`, made or emptied first: an open, a chmod, a write, a close."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
    try:
        os.fchmod(handle, 0o644)  # readable by a web server's own user, whatever the umask
        view = memoryview(body)
        while view:
            view = view[os.write(handle, view) :]
    finally:
        os.close(handle)


class BucketTarget:
    """An S3-compatible bucket (AWS S3, MinIO, Ceph, Yandex Object Storage...), through boto3.

    `endpoint` is the service's URL for anything other than AWS itself; credentials are boto3's from the
    environment. Objects get their media type and cache rule, so the bucket (or a CDN in front of it)
    serves them as a static host would.
    """

    def __init__(self, bucket: str, prefix: str = "", endpoint: str | None = None, region: str | None = None) -> None:
        import boto3  # imported here: the folder target and the rest of saylau do not need it

        self.bucket, self.prefix, self.endpoint = bucket, prefix.strip("/"), endpoint
        self._client: Any = boto3.client("s3", endpoint_url=endpoint, region_name=region or None)

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, key: str, body: bytes, media: str, cache: str) -> str:
        self._client.put_object(
            Bucket=self.bucket, Key=self._key(key), Body=body, ContentType=media, CacheControl=cache
        )
        return key

    def get(self, key: str) -> bytes | None:
        from botocore.exceptions import ClientError

        try:
            response = self._client.get_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise
        body: bytes = response["Body"].read()
        return body

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self._client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                return False
            raise
        return True

    def put_many(self, items: Sequence[tuple[str, bytes, str, str]], done: Callable[[str], None]) -> None:
        """Uploads in parallel (an object store answers each request in milliseconds, not microseconds)."""
        with ThreadPoolExecutor(max_workers=UPLOADS) as pool:
            try:
                for future in as_completed([pool.submit(self.put, *item) for item in items]):
                    done(future.result())
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise

    def describe(self) -> str:
        where = f"s3://{self.bucket}/{self.prefix}".rstrip("/")
        return Phrase("{where} at {endpoint}", where=where, endpoint=self.endpoint) if self.endpoint else where


def open_target(where: str) -> Target:
    """The target a command line names: a folder path, or `s3://BUCKET[/PREFIX][?endpoint=URL&region=R]`.

    The endpoint and region may also come from `SAYLAU_S3_ENDPOINT` / `AWS_REGION` (the URL wins); keys
    never come from the command line.
    """
    if not where.startswith("s3://"):
        return FolderTarget(Path(where))
    parts = urlsplit(where)
    if not parts.netloc:
        raise InputError([worded("an S3 target names its bucket: s3://BUCKET/PREFIX", field="target")])
    if parts.username or parts.password:
        raise InputError(
            [worded("credentials do not belong in the target: set them in the environment", field="target")]
        )
    query = parse_qs(parts.query)
    endpoint = (query.get("endpoint") or [os.environ.get("SAYLAU_S3_ENDPOINT", "")])[0] or None
    region = (query.get("region") or [os.environ.get("AWS_REGION", os.environ.get("AWS_DEFAULT_REGION", ""))])[0]
    return BucketTarget(parts.netloc, parts.path, endpoint, region or None)
