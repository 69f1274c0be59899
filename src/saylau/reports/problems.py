"""Problems and refusals in the reader's language: a catalogue msgid through the kk/ru catalogue, its place kept.

The loaders say what is wrong in English (`Problem.message`); those that also keep the sentence's msgid and
values (`saylau.errors.WordedProblem`, e.g. every problem of an election-day folder) are said here in kk or
ru, and so is a `saylau.errors.Phrase` (a rule that cannot be applied, a tie, a service's refusal). A problem
without a msgid, or a msgid the catalogue lacks, is said in English.
"""

from __future__ import annotations

from saylau.errors import Count, InputError, Phrase, Problem, SaylauError, WordedProblem, one_line, phrase_of
from saylau.reports.checks import left_out
from saylau.reports.i18n import Words, translator, words
from saylau.tabulation.checks import LeftOut


def problem_line(problem: Problem, lang: str = "en") -> str:
    """`file:row [field]: message`, the message in `lang` where the problem carries its msgid (or, for a
    protocol left out of the count, its finding)."""
    if isinstance(problem, LeftOut) and problem.finding is not None:
        message = left_out(problem.finding, lang)
        return str(Problem(message, problem.path, problem.row, problem.field, problem.code))
    if isinstance(problem.message, Phrase):
        return str(Problem(said(problem.message, lang), problem.path, problem.row, problem.field, problem.code))
    if not isinstance(problem, WordedProblem) or not problem.template:
        return str(problem)
    try:
        w = words(lang)
        values = {k: w.fmt.integer(int(v)) if isinstance(v, Count) else v for k, v in problem.values}
        message = w._(problem.template).format(**values)
    except (KeyError, IndexError, ValueError):  # a translation that names another field: the English text
        message = problem.message
    return str(Problem(message, problem.path, problem.row, problem.field, problem.code))


def error_lines(error: SaylauError, lang: str = "en") -> list[str]:
    """One line per problem of `error` in `lang` (a name's line break or U+2028 escaped, never a line of its
    own): an InputError's problems, or the Phrase a RuleError was raised with."""
    if isinstance(error, InputError) and error.problems:
        return [problem_line(problem, lang) for problem in error.problems]
    text = said(phrase_of(error), lang)
    return [one_line(line) for line in text.split("\n") if line] or [error.code]


def said(text: str, lang: str) -> str:
    """`text` in `lang`: a `Phrase` from the catalogues, its values said too; any other text as the catalogue
    has it (a msgid), else as it stands.

    A value with a `msgid` (the service's `Term`: a role, a state) is translated, a Phrase said, a tuple of
    them said each and joined by commas; with a plural, `{n}` is the count as the locale writes it.
    """
    if not isinstance(text, Phrase):
        return translator(lang)(text)
    w = words(lang)
    values = {k: _value(v, w) for k, v in text.values.items()}
    if text.plural is not None:
        count = text.values.get("n", 2)
        values.pop("n", None)
        return w.n(text.template, text.plural, int(count) if isinstance(count, int) else 2, **values)
    return w._(text.template).format(**values)


def _value(value: object, w: Words) -> object:
    if isinstance(value, Phrase):
        return said(value, w.lang)
    if isinstance(value, Count):
        return w.fmt.integer(int(value))
    if isinstance(value, tuple):
        return ", ".join(str(_value(each, w)) for each in value)
    msgid = getattr(value, "msgid", None)
    return w._(msgid) if isinstance(msgid, str) else value
