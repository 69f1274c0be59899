"""The one error tree of saylau.

    SaylauError                 anything saylau refuses, with where it happened
    ├── InputError              bad input (file, row, field or JSON path); many problems at once
    └── RuleError               a rule configuration that cannot be applied

Adapters map them: the CLI to exit status 2 and one line per problem, the web service to 4xx with `code`.
A problem always prints as one line (`one_line`): a file name, a field or a message holding a line break,
U+2028/U+2029 or a bidirectional control cannot make one problem look like two, or turn a line around.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_UNSEEN = re.compile("[\x00-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
"""Every character that breaks a line or cannot be seen: C0 and C1 controls (line feed included), DEL, the soft
hyphen, zero-width spaces and joiners, line and paragraph separators, bidirectional marks, embeddings,
overrides and isolates, the byte order mark."""


def one_line(text: str) -> str:
    """`text` with every line break and invisible character written as its escape (`\\n`, `\\u2028`, `\\u202e`)."""
    return _UNSEEN.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    message: str
    path: str | None = None
    row: int | None = None
    field: str | None = None
    code: str = "invalid"

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.path, self.row) if p is not None)
        if self.field:
            where = f"{where} [{self.field}]" if where else f"[{self.field}]"
        return one_line(f"{where}: {self.message}" if where else self.message)


@dataclass(frozen=True, slots=True)
class WordedProblem(Problem):
    """A problem whose message is a catalogue msgid (`template`) filled with `values` (`{name}` fields).

    `message` holds the English sentence; `saylau.reports.problems` says it in kk or ru from the catalogues.
    """

    template: str = ""
    values: tuple[tuple[str, str | int], ...] = ()


def worded(
    template: str,
    path: str | None = None,
    row: int | None = None,
    field: str | None = None,
    code: str = "invalid",
    **values: object,
) -> WordedProblem:
    """A problem said by a catalogue msgid (`template`, `{name}` fields) and its values: English here,
    kk or ru through `saylau.reports.problems.problem_line`."""
    texts: dict[str, str | int] = {k: v if isinstance(v, Count) else str(v) for k, v in values.items()}
    return WordedProblem(template.format(**texts), path, row, field, code, template, tuple(texts.items()))


class Count(int):
    """A count in a sentence, said as its reader groups digits: 10,000 in English, 10 000 in Kazakh and Russian
    (`saylau.reports.problems`). A plain int among a sentence's values (a station's number) is said as it is."""

    def __str__(self) -> str:
        return f"{int(self):,}"

    def __format__(self, spec: str) -> str:
        return format(int(self), spec) if spec else str(self)


class Phrase(str):
    """A sentence said by a catalogue msgid (`template`) filled with `values`, kept whole so that an adapter can
    say it in kk or ru (`saylau.web.bounds.say`): it reads as its English sentence, so the English message,
    the CLI and the API's JSON keep it. A value may itself be a Phrase (a tie inside a refusal); with `plural`,
    the phrase is counted (gettext's ngettext) by `values["n"]`. A tuple value is a list of words or Phrases,
    said each and joined by commas (the features a rule refuses).

    A `RuleError` raised with a Phrase keeps it as its first argument (`phrase_of`), so the CLI and the service
    say a rule that cannot be applied in the reader's language (`saylau.reports.problems`).
    """

    template: str
    values: dict[str, object]
    plural: str | None

    def __new__(cls, template: str, plural: str | None = None, **values: object) -> Phrase:
        counted = plural if plural is not None and values.get("n") != 1 else template
        shown = {k: ", ".join(map(str, v)) if isinstance(v, tuple) else v for k, v in values.items()}
        made = super().__new__(cls, counted.format(**shown))
        made.template, made.values, made.plural = template, dict(values), plural
        return made

    def __reduce__(self) -> tuple[object, ...]:
        """Copied or pickled with its msgid and values (a plain str's copy would keep only the English)."""
        return (_phrase, (self.template, self.plural, self.values))


def _phrase(template: str, plural: str | None, values: dict[str, object]) -> Phrase:
    return Phrase(template, plural, **values)


class SaylauError(Exception):
    """Base of every error saylau raises on purpose."""

    code = "error"


def phrase_of(error: BaseException) -> str:
    """What `error` says: the Phrase it was raised with (its words kept for kk and ru), else its English text."""
    first = error.args[0] if len(error.args) == 1 else None
    return first if isinstance(first, Phrase) else str(error)


@dataclass
class InputError(SaylauError):
    """Input that cannot be accepted; carries every problem found, not just the first."""

    problems: list[Problem] = field(default_factory=list)
    code = "invalid-input"

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class RuleError(SaylauError):
    """A rule configuration that is inconsistent or cannot be applied to this election."""

    code = "invalid-rule"
