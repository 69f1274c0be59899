"""Adapters that read and write election folders (TOML + CSV) and other files."""

from saylau.io.folder import load_election

__all__ = ["load_election"]
