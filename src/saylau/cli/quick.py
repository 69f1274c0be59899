"""`saylau allocate` and `saylau results` without typer: their work, and a strict reader of usual command lines.

Why: typer (with pydantic, which it builds every option's converter with) takes longer to import than the
whole allocation takes to run. `main` hands the arguments of these commands to `arguments` first; a command
line it reads -- the command's arguments and its own options, each given once, with plain values -- runs
here at once. Anything else (`--help`, an unknown or repeated option, a value that is not a plain number, a
missing `--seats`) returns None and goes to the typer command, which runs the same function
(`allocate_and_show`, `results_and_show`) and says what is wrong in its usual words. So typer stays the one
definition of the commands' help and errors, and both paths print the same bytes.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

from saylau.apportionment import Ballots, Contestant, Method, Threshold, ThresholdBase, TieRule, allocate
from saylau.cli.errors import NO_DAY, NOT_A_PERCENTAGE, UNKNOWN_SEE_HELP, UNKNOWN_VALUE
from saylau.errors import Count, InputError, Problem, worded
from saylau.limits import MAX_PARTIES, NumberError, parse_fraction, parse_whole

E = TypeVar("E", Method, ThresholdBase, TieRule)

# option -> (keyword of allocate_and_show, kind): "int", "str", "path" or "flag"
_ALLOCATE = {
    "--seats": ("seats", "int"),
    "--method": ("method", "str"),
    "--threshold": ("threshold", "str"),
    "--threshold-base": ("threshold_base", "str"),
    "--against-all": ("against_all", "int"),
    "--invalid": ("invalid", "int"),
    "--min-admitted": ("min_admitted", "int"),
    "--tie": ("tie", "str"),
    "--seed": ("seed", "int"),
    "--json": ("as_json", "flag"),
    "--lang": ("lang", "str"),
}
_RESULTS = {
    "--json": ("as_json", "flag"),
    "--lang": ("lang", "str"),
    "--allow-previous": ("allow_previous", "path"),
    "--contest": ("contest", "str"),
    "--strict": ("strict", "flag"),
}
NOT_A_PAIR = "{value} is not NAME=VOTES (votes a whole number)"
_PLAIN_INT = re.compile(r"(0|[1-9][0-9]{0,17})")


def arguments(args: list[str]) -> tuple[Callable[..., None], dict[str, Any]] | None:
    """What to run for `saylau ARGS` without typer, and its keyword arguments; None: let typer read them."""
    command = args[0] if args else None
    if command == "allocate":
        found = _read(args[1:], _ALLOCATE)
        if found is None or not found["positional"] or "seats" not in found:
            return None
        found["contestants"] = found.pop("positional")
        return allocate_and_show, found
    if command == "results":
        found = _read(args[1:], _RESULTS)
        if found is None or len(found["positional"]) != 1 or not found["positional"][0]:
            return None
        found["folder"] = Path(found.pop("positional")[0])
        return results_and_show, found
    return None


def allocate_arguments(args: list[str]) -> dict[str, Any] | None:
    """The keyword arguments of `allocate_and_show` for `args` (after `allocate`), or None: let typer read them."""
    found = arguments(["allocate", *args])
    return None if found is None else found[1]


def _read(args: list[str], options: dict[str, tuple[str, str]]) -> dict[str, Any] | None:
    """Arguments (under "positional") and options of a usual command line, or None for anything unusual."""
    found: dict[str, Any] = {}
    positional: list[str] = []
    rest = iter(args)
    for arg in rest:
        if not arg.startswith("-"):
            positional.append(arg)
            continue
        option, sep, value = arg.partition("=")
        if option not in options:
            return None
        key, kind = options[option]
        if key in found:
            return None
        if kind == "flag":
            if sep:
                return None
            found[key] = True
            continue
        if not sep:
            value = next(rest, "-")
        if value.startswith("-"):
            return None
        if kind == "int":
            if not _PLAIN_INT.fullmatch(value):
                return None
            found[key] = int(value)
        elif kind == "path":
            if not value:
                return None
            found[key] = Path(value)
        else:
            found[key] = value
    found["positional"] = positional
    return found


def allocate_and_show(
    contestants: list[str],
    seats: int,
    method: str = "hare",
    threshold: str | None = None,
    threshold_base: str = "valid",
    against_all: int = 0,
    invalid: int = 0,
    min_admitted: int = 0,
    tie: str = "registration-order",
    seed: int | None = None,
    as_json: bool = False,
    lang: str = "en",
) -> None:
    """Share seats among lists by a quota or divisor method, with the threshold and the full trace."""
    from saylau.reports.i18n import words

    w = words(lang)  # an unknown language is refused before any work
    percent = _percent(threshold)
    base = _choice(ThresholdBase, threshold_base, "threshold-base")
    result = allocate(
        _contestants(contestants),
        seats,
        _choice(Method, method, "method"),
        threshold=None if percent is None else Threshold(percent, None, base),
        min_admitted=min_admitted,
        ballots=Ballots(against_all, invalid),
        tie=_choice(TieRule, tie, "tie"),
        seed=seed,
    )
    if as_json:
        from saylau.apportionment.explain import to_dict

        sys.stdout.write(json.dumps(to_dict(result), ensure_ascii=False, indent=2) + "\n")
        sys.stdout.flush()
        return
    from rich.table import Table
    from rich.text import Text

    from saylau.reports.allocation import explain_allocation
    from saylau.reports.safe import SafeConsole, terminal

    title = w.n(
        "{decided} of {n} seat, {method}",
        "{decided} of {n} seats, {method}",
        result.seats_total,
        decided=result.seats_decided,
        method=w(result.method.label),
    )
    table = Table(title=Text(title))
    table.add_column(w("List"))
    table.add_column(w("Votes"), justify="right")
    table.add_column(w("Seats"), justify="right")
    for line in result.threshold.lines:
        table.add_row(Text(terminal(line.name)), w.fmt.integer(line.votes), str(result.seats[line.name]))
    console = SafeConsole()
    console.print(table)
    console.print("\n".join(explain_allocation(result, w)), markup=False, highlight=False)


def _choice(kind: type[E], value: str, option: str) -> E:
    try:
        return kind(value.lower())
    except ValueError:
        shown = repr(value)
        if len(kind) >= 5:
            raise InputError([worded(UNKNOWN_SEE_HELP, field=option, option=option, value=shown)]) from None
        known = "/".join(m.value for m in kind)
        raise InputError([worded(UNKNOWN_VALUE, field=option, option=option, value=shown, known=known)]) from None


def _contestants(pairs: list[str]) -> list[Contestant]:
    if len(pairs) > MAX_PARTIES:
        raise InputError([worded("too many lists (at most {most})", field="contestant", most=Count(MAX_PARTIES))])
    problems: list[Problem] = []
    out: list[Contestant] = []
    for pair in pairs:
        name, sep, votes = pair.rpartition("=")
        try:
            if not sep or not name.strip():
                raise NumberError(pair)
            out.append(Contestant(name.strip(), parse_whole(votes)))
        except NumberError:
            shown = pair if len(pair) <= 60 else pair[:60] + "…"
            problems.append(
                worded("{value} is not NAME=VOTES (votes a whole number)", field="contestant", value=repr(shown))
            )
    if problems:
        raise InputError(problems)
    return out


def _percent(text: str | None) -> Fraction | None:
    if text is None:
        return None
    try:
        value = parse_fraction(text.strip().removesuffix("%"))
    except NumberError:
        value = None
    if value is None or not 0 <= value <= 100:
        raise InputError([worded(NOT_A_PERCENTAGE, field="threshold", value=repr(text[:40]))])
    return value


def results_and_show(
    folder: Path,
    as_json: bool = False,
    lang: str = "en",
    allow_previous: Path | None = None,
    strict: bool = False,
    contest: str | None = None,
) -> None:
    """Load, validate and declare an election: council, deputies, majority, comparison (`strict`: a published
    total that the complete count of the protocols does not give is an error, not a warning).

    A day folder (with day.toml, docs/election-day.md): every contest of the day, or the one `contest` names.
    """
    from saylau.cli.load import declare_election, election_of, warn_if_registration_fails
    from saylau.reports.i18n import translator
    from saylau.reports.safe import SafeConsole
    from saylau.reports.summary import summary
    from saylau.reports.text import renderables

    translator(lang)  # an unknown language is refused before any work
    if (folder / "day.toml").is_file():
        from saylau.cli.day import day_results_and_show

        day_results_and_show(folder, contest, as_json, lang, allow_previous, strict=strict)
        return
    if contest is not None:
        raise InputError([worded(NO_DAY, str(folder), field="--contest")])
    election = election_of(folder, allow_previous, strict=strict, lang=lang)
    warn_if_registration_fails(election, folder, lang)
    result = declare_election(folder, election)
    if as_json:
        sys.stdout.write(json.dumps(summary(result), ensure_ascii=False, indent=2) + "\n")
        sys.stdout.flush()
        return
    console = SafeConsole()
    for part in renderables(result, lang, console.width):
        console.print(part)
