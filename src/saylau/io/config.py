"""The one validated shape of `election.toml` (see docs/election-folder.md).

Why: a wrong type anywhere (`secretary = ""`, `results = 5`, `date = 1000000`, `name = {a = 1}`) used to
crash deep inside the loader or be taken in silence. Here every key has one declared type, unknown keys
are refused with the nearest known key ("did you mean"), and every problem is one line naming the key.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from saylau.errors import Count, Phrase, Problem, phrase_of
from saylau.io.table import Problems, read_text
from saylau.limits import MAX_NESTING, MAX_SEATS, MAX_TOML_BYTES, NumberError, invisible, parse_fraction
from saylau.rules import ElectoralSystem, validation_problems

SOURCE = "election.toml"
INVISIBLE_IN_NAME = "has the invisible character {char} at position {position}: names must be visible"
NOT_A_DATE = "must be a date such as 2023-03-19"
UNKNOWN_ZONE = "{value} is not a time zone this system knows (such as Asia/Almaty)"


def _visible(value: str) -> str:
    """A name must look like what it is: no zero-width, bidirectional or control character (limits.invisible)."""
    if found := invisible(value):
        position, char = found
        raise ValueError(Phrase(INVISIBLE_IN_NAME, char=char, position=position))
    return value


Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1_000), AfterValidator(_visible)
]


def _exact(value: Any) -> Any:
    """ "1/2", "25.15", 2 or 0.5 -> an exact Fraction, with the bounded parser (no `1e999999999`)."""
    if isinstance(value, bool):
        raise ValueError(Phrase("must be a number such as 1/2 or 25.15"))
    if isinstance(value, int | float | str):
        try:
            return parse_fraction(str(value) if isinstance(value, str) else repr(value))
        except NumberError as error:
            raise ValueError(phrase_of(error)) from None
    return value


def _day(value: Any) -> Any:
    """A TOML date (2023-03-19) or the same as text; a date-time, a number or other text is refused."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(Phrase(NOT_A_DATE)) from None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValueError(Phrase(NOT_A_DATE))
    return value


def _majority(value: Fraction) -> Fraction:
    """A majority fraction outside [1/2, 1) gives a majority of -41 or of 211 seats out of 42."""
    if not Fraction(1, 2) <= value < 1:
        raise ValueError(Phrase("must be at least 1/2 and below 1"))
    return value


def _percentage(value: Fraction) -> Fraction:
    if not 0 <= value <= 100:
        raise ValueError(Phrase("must be a percentage from 0 to 100"))
    return value


Exact = Annotated[Fraction, BeforeValidator(_exact)]
Day = Annotated[date, BeforeValidator(_day)]


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, arbitrary_types_allowed=True)


class _Named(_Table):
    """A table whose `name` may also be given in kk, ru and en (`name_kk = "..."`): reports fall back to `name`."""

    name_kk: Name | None = None
    name_ru: Name | None = None
    name_en: Name | None = None

    @property
    def by_language(self) -> dict[str, str]:
        """The name by language, for the languages given."""
        given = {"kk": self.name_kk, "ru": self.name_ru, "en": self.name_en}
        return {lang: name for lang, name in given.items() if name is not None}


class BodyConfig(_Named):
    """[body]: the elected body."""

    name: Name
    seats: int = Field(ge=1, le=MAX_SEATS)
    convocation: int | None = Field(default=None, ge=1, le=10_000)
    majority_fraction: Annotated[Exact, AfterValidator(_majority)] = Fraction(1, 2)
    """More than this share of the seats is a majority: from 1/2 (simple) up to, not including, 1."""


class SystemConfig(_Table):
    """[system]: a preset and the overrides of its fields (validated by `rules.resolve_system`)."""

    preset: str | None = None
    overrides: dict[str, Any] = Field(default_factory=dict)


class SecretaryConfig(_Table):
    """[secretary]: the council's secretary before and after the election."""

    before: Name | None = None
    before_party: Name | None = None
    after: Name | None = None
    after_party: Name | None = None


class ResultsConfig(_Table):
    """[results]: figures the commission published beside the tables."""

    published_turnout: Annotated[Exact, AfterValidator(_percentage)] | None = None


class PreviousConfig(_Table):
    """[previous]: the election before, for the comparison (inside the allowed root, see `load_election`)."""

    folder: Name
    successors: dict[Name, Name] = Field(default_factory=dict)


class PublicationConfig(_Table):
    """[publication]: when the figures may be published (`saylau.publish.gate`, docs/publishing.md)."""

    polls_close: AwareDatetime | None = None
    """The close of polls with its UTC offset (a TOML date-time, e.g. 2023-03-19T20:00:00+06:00)."""
    hold: bool = False
    """Held until a coordinator releases the results, whatever the time."""


def _time_zone(value: object) -> str:
    """An IANA time zone name the system knows (`Asia/Almaty`)."""
    if not isinstance(value, str) or not 0 < len(value) <= 64:
        raise ValueError(Phrase("must be a time zone name such as Asia/Almaty"))
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(Phrase(UNKNOWN_ZONE, value=repr(value))) from None
    return value


TimeZone = Annotated[str, BeforeValidator(_time_zone)]


class CommissionConfig(_Named):
    """[commission]: the commission that establishes the result and signs its protocol, with its officers."""

    name: Name
    chair: Name | None = None
    deputy_chair: Name | None = None
    secretary: Name | None = None
    time_zone: TimeZone | None = None
    """Where the commission sits (an IANA name, `Asia/Almaty`): the service shows times in it, not in UTC."""


class NamesConfig(_Table):
    """[names]: the language of names written in Cyrillic, for exports that tag each name's language."""

    cyrillic: Literal["kk", "ru"] | None = None


class ElectionConfig(_Named):
    """The whole of election.toml."""

    name: Name | None = None
    country: Name | None = None
    """For the wikitext infobox."""
    territory: Name | None = None
    """For the NIST export's reporting unit."""
    commission: CommissionConfig | None = None
    names: NamesConfig = Field(default_factory=NamesConfig)
    date: Day | None = None
    notes: list[Annotated[str, StringConstraints(max_length=10_000)]] = Field(default_factory=list)
    body: BodyConfig
    system: SystemConfig = Field(default_factory=SystemConfig)
    secretary: SecretaryConfig = Field(default_factory=SecretaryConfig)
    results: ResultsConfig = Field(default_factory=ResultsConfig)
    previous: PreviousConfig | None = None
    publication: PublicationConfig | None = None


TOO_DEEP = "is not valid TOML: nested too deep or a number too long (limit {levels} levels)"


def read_config(root: Path, problems: Problems) -> ElectionConfig | None:
    """election.toml of the folder as an ElectionConfig, or None with every problem added."""
    path = root / SOURCE
    if path.is_file() and path.stat().st_size > MAX_TOML_BYTES:
        problems.say("is larger than the limit of {limit} bytes", SOURCE, limit=Count(MAX_TOML_BYTES))
        return None
    text = read_text(root, SOURCE, problems)
    if text is None:
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"at line (\d+)", str(error))
        problems.say("is not valid TOML: {reason}", SOURCE, int(line[1]) if line else None, reason=str(error))
        return None
    except (RecursionError, ValueError):  # nesting past Python's stack, or an integer of thousands of digits
        problems.say(TOO_DEEP, SOURCE, levels=MAX_NESTING)
        return None
    if _depth(data) > MAX_NESTING:
        problems.say("is nested more than {levels} levels deep", SOURCE, levels=MAX_NESTING)
        return None
    try:
        return ElectionConfig.model_validate(data)
    except ValidationError as error:
        problems.items += [_misplaced(p) for p in validation_problems(error, ElectionConfig, SOURCE)]
        return None


def _misplaced(problem: Problem) -> Problem:
    """A rule written under [system] instead of [system.overrides] (`[system.list_tier]`) says where it goes."""
    key = (problem.field or "").removeprefix("system.")
    if problem.field == f"system.{key}" and key in ElectoralSystem.model_fields and "unknown key" in problem.message:
        misplaced = Phrase(
            "unknown key {key} (did you mean {close}?)", key=repr(f"system.{key}"), close=f"system.overrides.{key}"
        )
        return Problem(misplaced, SOURCE, field=problem.field)
    return problem


def _depth(value: Any) -> int:
    """How deep tables and arrays nest, counted without recursion (so a deep value cannot overflow the stack)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_NESTING:
            break
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, level + 1) for child in children)
    return deepest
