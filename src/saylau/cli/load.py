"""Loading and declaring an election folder for a command: warnings for what was left out, errors located."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from saylau.cli.errors import located, warn, warn_left_out
from saylau.domain import Election
from saylau.errors import InputError, Problem, SaylauError
from saylau.io import load_election
from saylau.io.decisions import decision_rows, misfit_problems
from saylau.registration import check_registration
from saylau.result import Result, declare

if TYPE_CHECKING:
    from saylau.io.count import StationsCount


def election_of(
    folder: Path,
    allow_previous: Path | None = None,
    *,
    strict: bool = False,
    kept: list[StationsCount] | None = None,
    lang: str = "en",
) -> Election:
    """The folder's election; each protocol left out of the count is one `warning:` line in `lang` (exit status
    kept), and so is each published total the complete count does not give (`strict`: an error, exit status 2).
    `kept`: the stations' count is appended here too (the protocols are read once; see `load_election`)."""
    notices: list[Problem] = []
    differences: list[Problem] = []
    election = load_election(folder, allow_previous=allow_previous, notices=notices, differences=differences, kept=kept)
    if differences and strict:
        raise InputError(differences)
    warn(differences, lang)
    warn_left_out(notices, folder, lang)
    return election


def declared(
    folder: Path,
    allow_previous: Path | None = None,
    *,
    strict: bool = False,
    kept: list[StationsCount] | None = None,
    lang: str = "en",
) -> Result:
    """The declared result of the folder; an error of the rules names the folder it came from (`kept`, `lang`:
    see `election_of`)."""
    return declare_election(folder, election_of(folder, allow_previous, strict=strict, kept=kept, lang=lang))


def declare_election(folder: Path, election: Election) -> Result:
    """`declare`, with the folder named on an error of the rules (they name no file of their own)."""
    try:
        result = declare(election)
    except SaylauError as error:
        raise located(folder, error) from None
    refused = result.misfits
    if refused:  # a drawing of lots that settles no tie is refused, never ignored
        raise located(folder, InputError(misfit_problems(refused, decision_rows(folder))))
    return result


def warn_if_registration_fails(election: Election, folder: Path, lang: str = "en") -> None:
    """A published election is what it is: say on stderr, in `lang`, that its registration checks fail, and go on."""
    refusals = check_registration(election).refusals
    if refusals:
        from saylau.reports.i18n import words

        failed = words(lang).n(
            "registration checks fail ({n} refusal); see saylau registration check {folder}",
            "registration checks fail ({n} refusals); see saylau registration check {folder}",
            len(refusals),
            folder=str(folder),
        )
        warn([Problem(failed)], lang)
