"""Times as the commission reads them: in its time zone (`[commission] time_zone` of election.toml), not UTC.

The service stores and signs every time in UTC (the audit log's `at`, the certification); pages, downloads'
names and filters speak the commission's local time. A folder without a time zone is shown in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from saylau.service import definition


def commission_zone(connection: Connection, contest: str | None = None) -> tzinfo:
    """The time zone of the commission of `contest` (of the day's first contest, when none is named)."""
    ids = definition.contest_ids(connection)
    chosen = contest if contest in ids else (ids[0] if ids else None)
    if chosen is None:
        return UTC
    commission = definition.current(connection, chosen).election.commission
    return ZoneInfo(commission.time_zone) if commission is not None and commission.time_zone else UTC


def local(stored: str, zone: tzinfo) -> str:
    """A stored UTC time (ISO 8601) as `2023-03-19 23:41:05` in `zone`."""
    return datetime.fromisoformat(stored).astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def utc(typed: str, zone: tzinfo) -> str | None:
    """A local time typed into a filter (`2023-03-19T23:40`, `2023-03-19 23:40`, `2023-03-19`) as the stored
    UTC form, for comparing with stored times; None for anything else."""
    text = typed.strip().replace(" ", "T")
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        return None
    if found.tzinfo is None:
        found = found.replace(tzinfo=zone)
    return found.astimezone(UTC).isoformat(timespec="microseconds")


def stamp(zone: tzinfo, now: datetime | None = None) -> str:
    """The local time for a file's name: `2023-03-19T2341` (no colon: every file system takes it)."""
    return (now or datetime.now(UTC)).astimezone(zone).strftime("%Y-%m-%dT%H%M")
