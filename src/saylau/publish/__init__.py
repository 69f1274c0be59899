"""Publishing results as immutable versioned files under a pointer, for any static host, bucket or CDN.

    source      what is published: a snapshot of the count, from a folder offline or the service's database
    scans       the scans of paper protocols an election folder carries (scans/scans.csv), with their SHA-256
    gate        when it may be public: the close of polls, or a coordinator's release
    corrections what a version changes in figures already published, with the coordinator's reason
    pages       the files of one version, grouped by what changes together (a station, a district, the version)
    publisher   storing a version (changed files, then its manifest, then the pointer), rollback
    targets     a folder (any static web server; each text file with its .gz sibling) or an S3-compatible bucket
    watch       `saylau publish service --watch`: every new state of the service's count, until stopped

docs/publishing.md describes the layout and docs/deploying.md how a country runs it.
"""

from saylau.publish.gate import Gate, gate_of
from saylau.publish.publisher import Published, current, publish, release, rollback, versions
from saylau.publish.source import DaySource, Source, from_database, from_folder
from saylau.publish.targets import BucketTarget, FolderTarget, Target, open_target

__all__ = [
    "BucketTarget",
    "DaySource",
    "FolderTarget",
    "Gate",
    "Published",
    "Source",
    "Target",
    "current",
    "from_database",
    "from_folder",
    "gate_of",
    "open_target",
    "publish",
    "release",
    "rollback",
    "versions",
]
