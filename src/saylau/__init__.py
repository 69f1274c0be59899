"""saylau: run an election held under a mixed electoral system, from definition to council, and publish it."""

__version__ = "0.5.0.dev0"
"""The one place saylau's version is written: pyproject.toml reads it, `saylau --version` prints it.

A release sets it to the version it releases (CHANGELOG.md's heading, the git tag `v` + version); after a release
it moves to the next version with `.dev0`.
"""
