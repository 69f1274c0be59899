"""`saylau example NAME DIR`: write one of the election folders that ship inside the package.

The examples live in the package (`saylau/examples/`, in the source tree a link to `examples/`), so an
installed saylau can run its examples without a clone. A folder an example compares with (its `[previous]`
folder, e.g. almaty-2021 for almaty-2023) is written beside it, as it lies in the source tree.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path
from typing import Annotated

import typer

import saylau
from saylau.cli.app import app, exits_on_error, lang_option
from saylau.errors import InputError, worded

WROTE_WITH_PREVIOUS = (
    "wrote {path} (with {previous}, the previous election it compares with); run: saylau results {path}"
)

EXAMPLES = Path(saylau.__file__).parent / "examples"


def names() -> list[str]:
    """The examples that ship, by folder name."""
    return sorted(p.name for p in EXAMPLES.iterdir() if (p / "election.toml").is_file())


def needed(name: str) -> list[str]:
    """The example `name` and every bundled example its `[previous]` folders name, in that order."""
    order: list[str] = []
    while name not in order:
        order.append(name)
        with (EXAMPLES / name / "election.toml").open("rb") as file:
            previous = tomllib.load(file).get("previous", {}).get("folder")
        if not isinstance(previous, str) or not previous.startswith("../"):
            break
        name = previous.removeprefix("../").rstrip("/")
        if name not in names():
            break
    return order


def _same(bundled: Path, written: Path) -> bool:
    """Whether `written` holds exactly the files of `bundled`, byte for byte."""
    ours = {p.relative_to(bundled) for p in bundled.rglob("*") if p.is_file()}
    theirs = {p.relative_to(written) for p in written.rglob("*") if p.is_file()}
    return ours == theirs and all((bundled / p).read_bytes() == (written / p).read_bytes() for p in ours)


@app.command()
@exits_on_error
def example(
    name: Annotated[str, typer.Argument(help="Which example: almaty-2023 or almaty-2021.")],
    out: Annotated[Path, typer.Argument(help="The folder to write it into (DIR/NAME; created if missing).")],
    lang: Annotated[str, lang_option("The command's messages in en, kk or ru.")] = "en",
) -> None:
    """Write a bundled example election folder into DIR (with the previous election it compares with)."""
    from saylau.reports.i18n import words

    w = words(lang)  # an unknown language is refused before any work
    if name not in names():
        raise InputError([worded("no such example (there are: {names})", field="NAME", names=", ".join(names()))])
    if out.exists() and not out.is_dir():
        raise InputError([worded("is not a folder", str(out))])
    plan = needed(name)
    for each in plan:
        target = out / each
        if target.exists() and any(target.iterdir()) and not _same(EXAMPLES / each, target):
            raise InputError([worded("exists, is not empty and differs from the bundled example", str(target))])
    for each in plan:
        shutil.copytree(EXAMPLES / each, out / each, dirs_exist_ok=True)
    written = out / name
    if len(plan) == 1:
        typer.echo(w("wrote {path}; run: saylau results {path}", path=written))
        return
    previous = ", ".join(str(out / each) for each in plan[1:])
    typer.echo(w(WROTE_WITH_PREVIOUS, path=written, previous=previous))
