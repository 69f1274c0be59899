"""Problems in the reader's language: a `WordedProblem`'s msgid through the kk/ru catalogue, its place kept.

The loaders say what is wrong in English (`Problem.message`); those that also keep the sentence's msgid and
values (`saylau.errors.WordedProblem`, e.g. every problem of an election-day folder) are said here in kk or
ru. A problem without a msgid, or a msgid the catalogue lacks, is said in English.
"""

from __future__ import annotations

from saylau.errors import Problem, WordedProblem
from saylau.reports.checks import left_out
from saylau.reports.i18n import translator
from saylau.tabulation.checks import LeftOut


def problem_line(problem: Problem, lang: str = "en") -> str:
    """`file:row [field]: message`, the message in `lang` where the problem carries its msgid (or, for a
    protocol left out of the count, its finding)."""
    if isinstance(problem, LeftOut) and problem.finding is not None:
        message = left_out(problem.finding, lang)
        return str(Problem(message, problem.path, problem.row, problem.field, problem.code))
    if not isinstance(problem, WordedProblem) or not problem.template:
        return str(problem)
    try:
        message = translator(lang)(problem.template).format(**dict(problem.values))
    except (KeyError, IndexError, ValueError):  # a translation that names another field: the English text
        message = problem.message
    return str(Problem(message, problem.path, problem.row, problem.field, problem.code))
