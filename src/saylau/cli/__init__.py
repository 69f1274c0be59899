"""The `saylau` command line: one module per command, registered on one typer app."""

from __future__ import annotations

import importlib

from saylau.cli.app import app

# Each module registers its commands on `app` when imported.
_COMMANDS = [
    "saylau.cli.results",
    "saylau.cli.protocols",
    "saylau.cli.report",
    "saylau.cli.allocate",
    "saylau.cli.whatif",
    "saylau.cli.synth",
    "saylau.cli.registration",
    "saylau.cli.ballots",
    "saylau.cli.vacancy",
    "saylau.cli.service",
    "saylau.cli.backup",
    "saylau.cli.project",
]


def main() -> None:
    """Entry point of the `saylau` script."""
    for module in _COMMANDS:
        importlib.import_module(module)
    app()
