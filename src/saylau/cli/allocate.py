"""`saylau allocate NAME=VOTES ... --seats N`: share seats among lists and explain each step.

The typer command: its help and its errors. The work is `saylau.cli.quick.allocate_and_show`, which `main`
also runs directly, without typer, for the usual command lines.
"""

from __future__ import annotations

from typing import Annotated

import typer

from saylau.apportionment import Method, TieRule
from saylau.cli.app import app, exits_on_error, lang_option
from saylau.cli.quick import allocate_and_show


@app.command("allocate")
@exits_on_error
def allocate_command(
    contestants: Annotated[list[str], typer.Argument(help="NAME=VOTES for each list, in registration order.")],
    seats: Annotated[int, typer.Option("--seats", help="Seats to fill.")],
    method: Annotated[str, typer.Option(help="One of: " + ", ".join(m.value for m in Method) + ".")] = "hare",
    threshold: Annotated[str | None, typer.Option(help="Threshold in percent, e.g. 5%.")] = None,
    threshold_base: Annotated[str, typer.Option(help="valid, party or cast.")] = "valid",
    against_all: Annotated[int, typer.Option(help="Ballots marked 'against all'.")] = 0,
    invalid: Annotated[int, typer.Option(help="Invalid ballots (count only in the 'cast' base).")] = 0,
    min_admitted: Annotated[int, typer.Option(help="Admit lists in vote order until this many take part.")] = 0,
    tie: Annotated[
        str, typer.Option(help="One of: " + ", ".join(t.value for t in TieRule) + ".")
    ] = "registration-order",
    seed: Annotated[int | None, typer.Option(help="Seed of the drawing of lots (tie rule 'lot').")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object: seats and the trace.")] = False,
    lang: Annotated[str, lang_option("The explanation in en, kk or ru.")] = "en",
) -> None:
    """Share seats among lists by a quota or divisor method, with the threshold and the full trace."""
    allocate_and_show(
        contestants,
        seats,
        method,
        threshold,
        threshold_base,
        against_all,
        invalid,
        min_admitted,
        tie,
        seed,
        as_json,
        lang,
    )
