"""What `saylau forensics` and `saylau observe` share: the formats of a document of tables (`reports.sheet`),
the options that choose them, and writing one out.

Each command builds its `Sheet` and its JSON document; `write_sheet` renders whichever the format asks for.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from saylau.cli.app import lang_option
from saylau.cli.errors import NEEDS_FILE
from saylau.errors import InputError, worded
from saylau.reports.sheet import (
    Sheet,
    render_sheet_csv,
    render_sheet_html,
    render_sheet_markdown,
    render_sheet_pdf,
    render_sheet_text,
    render_sheet_wikitext,
)

SHEET_FORMATS = ("text", "markdown", "wikitext", "csv", "json", "html", "pdf")
"""The formats every document of tables is written in."""
BINARY = frozenset({"pdf", "png"})
"""Formats that go to a file (`-o`), never to the terminal."""

_RENDERERS: Mapping[str, Callable[[Sheet], str]] = {
    "text": render_sheet_text,
    "markdown": render_sheet_markdown,
    "wikitext": render_sheet_wikitext,
    "html": render_sheet_html,
}


def format_option(formats: tuple[str, ...]) -> Any:
    """`--format/-f`, one of `formats` (SHEET_FORMATS and what else the command draws)."""

    def choose(value: str) -> str:
        if value not in formats:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(formats)}")
        return value

    return typer.Option("--format", "-f", parser=choose, metavar="[" + "|".join(formats) + "]", help="Output format.")


Output = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")]
Lang = Annotated[str, lang_option("Words and numbers in en, kk or ru.")]
Raw = Annotated[bool, typer.Option("--raw", help="csv: write cells as they are (no ' before = + - @).")]


def needs_file(fmt: str, output: Path | None) -> None:
    """Refuse a binary format without `-o` before any work is done."""
    if fmt in BINARY and output is None:
        raise InputError([worded(NEEDS_FILE, field="-o", format=fmt)])


def write(content: str | bytes, output: Path | None) -> None:
    """Text to the terminal or a file (UTF-8); bytes to the file (`needs_file` has made sure there is one)."""
    if isinstance(content, bytes):
        assert output is not None
        output.write_bytes(content)
    elif output is None:
        typer.echo(content, nl=False)
    else:
        output.write_text(content, encoding="utf-8")


def write_sheet(
    fmt: str, sheet: Callable[[], Sheet], document: Callable[[], Any], output: Path | None, *, raw: bool = False
) -> None:
    """Write the document in one of SHEET_FORMATS: `document()` as JSON, `sheet()` in every other format."""
    if fmt == "json":
        write(json.dumps(document(), ensure_ascii=False, indent=2) + "\n", output)
    elif fmt == "pdf":
        write(render_sheet_pdf(sheet()), output)
    elif fmt == "csv":
        write(render_sheet_csv(sheet(), raw=raw), output)
    else:
        write(_RENDERERS[fmt](sheet()), output)
