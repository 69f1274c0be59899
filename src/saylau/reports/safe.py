"""Names are data: every value a folder supplies is written so it cannot act in the place it is shown.

Why: a party called `[/]` crashed the terminal tables (rich markup), `[bold red]X[/bold red]` printed a red
X, an escape sequence reached the terminal, `=HYPERLINK(...)` ran in a spreadsheet, `<script>` passed into
Markdown. Each output has one function here, applied where values are written:

    terminal(text)    control and invisible characters (C0, C1, DEL, bidirectional overrides, zero-width
                      spaces and joiners, the soft hyphen, line separators) shown as \\x1b or \\u202e;
                      `SafeConsole` applies it to every string and never reads markup or emoji codes
    csv_cell(value)   a text cell starting with = + - @ tab or CR gets a leading ' (OWASP "CSV injection");
                      `saylau report -f csv --raw` writes the values as they are
    markdown(text)    & < > as HTML entities; |, backslash, backtick, brackets, * _ ~ $ escaped
"""

from __future__ import annotations

import html
import re
from typing import Any

from rich.console import Console
from rich.style import Style
from rich.text import Text

_CONTROL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_MARKDOWN = re.compile(r"([\\`\[\]|*_~$])")


def terminal(text: str) -> str:
    """The text with every control character shown as its escape (a name cannot move the cursor or recolour)."""
    return _CONTROL.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def csv_cell(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def markdown(text: str) -> str:
    """Text for a Markdown page or table cell: HTML escaped; table cells, code, links, emphasis, strike-through
    and math (`*bold*`, `_x_`, `~~x~~`, `$x$`) neutralised."""
    return _MARKDOWN.sub(r"\\\1", html.escape(terminal(text), quote=False))


class SafeConsole(Console):
    """A rich Console that shows every string as plain text: no markup, no emoji codes, no control characters.

    Tables, titles and printed strings all pass through `render_str`; styles given in code still apply.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("highlight", False)
        super().__init__(markup=False, emoji=False, **kwargs)

    def render_str(self, text: str, *, style: str | Style = "", **kwargs: Any) -> Text:
        """Every string as literal text, its control characters escaped."""
        kwargs.update(markup=False, emoji=False)
        return super().render_str(terminal(text), style=style, **kwargs)
