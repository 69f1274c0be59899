"""A help page printed before is printed again without typer (`saylau.cli.pages`): the same bytes and exit status
typer prints, on a pipe and on a terminal, in en, kk and ru; and never once anything it was printed from has
changed (a command added or renamed, a catalogue's words, the terminal's width)."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from saylau.cli import _COMMANDS, outline, pages
from saylau.cli.pages import KEPT, Keeping, asks_help, kept, sources

SRC = Path(__file__).resolve().parents[2] / "src"
PROBE = """
import json, sys
sys.argv = ["saylau", *json.loads(sys.argv[1])]
from saylau.cli import main
try:
    main()
finally:
    print(json.dumps(sorted(sys.modules)), file=sys.__stderr__)
"""
"""`saylau ARGS` in a fresh interpreter, the modules it loaded on stderr's last line."""


def saylau(
    args: list[str], cache: Path, env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[int, str, str, set[str]]:
    """`saylau ARGS` with its pages kept in `cache`: exit status, stdout, stderr and the modules it loaded."""
    environ = {**os.environ, "SAYLAU_LANG": "", "COLUMNS": "90", "SAYLAU_HELP_CACHE": str(cache), **(env or {})}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        check=False,
        env=environ,
        cwd=cwd,
        timeout=120,
    )
    *said, modules = done.stderr.splitlines(keepends=True)
    return done.returncode, done.stdout, "".join(said), set(json.loads(modules))


def folder(tmp_path: Path) -> Path:
    """The folder the command runs in: `python -c` imports from it first, so a file made there (a kept page)
    would change the sources."""
    here = tmp_path / "here"
    here.mkdir(exist_ok=True)
    return here


def nowhere(tmp_path: Path) -> Path:
    """A cache folder that cannot be made (under a file): every page is typer's, and none is kept."""
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    return blocked / "cache"


PAGES = [
    (["--help"], {}),
    (["--help", "--lang", "kk"], {}),
    (["--lang", "ru", "--help"], {}),
    ([], {"SAYLAU_LANG": "kk"}),
    (["results", "--help", "--lang=kk"], {}),
    (["allocate", "--help"], {"SAYLAU_LANG": "ru", "COLUMNS": "61"}),
    (["users", "add", "--help", "--lang", "ru"], {}),
    (["publish", "--help"], {"FORCE_COLOR": "1"}),
    (["nonsense", "--help", "--lang", "kk"], {}),
]


@pytest.mark.parametrize(("args", "env"), PAGES, ids=[" ".join(a) or "saylau" for a, _ in PAGES])
def test_a_kept_page_is_the_page_typer_prints(tmp_path: Path, args: list[str], env: dict[str, str]) -> None:
    cache, here = tmp_path / "cache", folder(tmp_path)
    typer_page = saylau(args, nowhere(tmp_path), env, cwd=here)
    first = saylau(args, cache, env, cwd=here)
    again = saylau(args, cache, env, cwd=here)
    assert first[:3] == again[:3] == typer_page[:3]
    assert typer_page[1] or typer_page[2]
    assert "typer" in typer_page[3] and "typer" in first[3]
    assert not {"typer", "rich", "babel", "saylau.cli.app", "saylau.reports"} & again[3]  # printed again, no more
    assert len(list((cache / "saylau-help").glob("*.page"))) == 1
    assert "typer" in saylau(args, nowhere(tmp_path), env, cwd=here)[3]  # a folder not writable keeps nothing


def test_each_terminal_width_is_its_own_page(tmp_path: Path) -> None:
    cache, here = tmp_path / "cache", folder(tmp_path)
    wide, narrow = (saylau(["--help"], cache, {"COLUMNS": c}, cwd=here) for c in ("120", "70"))
    assert wide[1] != narrow[1] and max(map(len, narrow[1].splitlines())) <= 70
    assert len(list((cache / "saylau-help").glob("*.page"))) == 2
    narrow_again = saylau(["--help"], cache, {"COLUMNS": "70"}, cwd=here)
    assert narrow_again[:3] == narrow[:3] and "typer" not in narrow_again[3]
    assert saylau(["--help"], cache, {"COLUMNS": "120"}, cwd=here)[:3] == wide[:3]


TERMINAL = """
import os, pty, subprocess, sys, fcntl, termios, struct
master, slave = pty.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, int(sys.argv[1]), 0, 0))
done = subprocess.Popen(sys.argv[2:], stdin=slave, stdout=slave, stderr=slave)
os.close(slave)
out = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
sys.stdout.write(repr((done.wait(), out)))
"""
"""Runs a command on a pseudo-terminal `argv[1]` columns wide: its exit status and every byte it wrote."""


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX's")
@pytest.mark.parametrize("args", [["--help"], ["results", "--help", "--lang", "ru"]])
def test_on_a_terminal_a_kept_page_has_typers_colours_and_width(tmp_path: Path, args: list[str]) -> None:
    script = str(Path(sys.executable).parent / "saylau")
    environ = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR", "FORCE_COLOR")}
    environ.update({"TERM": "xterm-256color", "SAYLAU_LANG": ""})

    def terminal(cache: Path, width: int) -> str:
        run = [sys.executable, "-c", TERMINAL, str(width), script, *args]
        env = {**environ, "SAYLAU_HELP_CACHE": str(cache)}
        return subprocess.run(run, capture_output=True, text=True, check=True, env=env, timeout=120).stdout

    for width in (100, 57):
        typer_page = terminal(nowhere(tmp_path), width)
        assert "\\x1b[" in typer_page  # typer's colours
        assert terminal(tmp_path / "cache", width) == terminal(tmp_path / "cache", width) == typer_page
    assert len(list((tmp_path / "cache" / "saylau-help").glob("*.page"))) == 2


def test_a_command_added_renamed_or_translated_anew_is_on_the_next_page(tmp_path: Path) -> None:
    """The kept list of commands is printed again only from the sources it was printed from: a copy of saylau
    (first on the import path) gains a command, renames one and words its help anew in Kazakh, and the next
    `saylau --help` says so."""
    copy = tmp_path / "src"
    shutil.copytree(SRC / "saylau", copy / "saylau", ignore=shutil.ignore_patterns("__pycache__", "examples"))
    env = {"PYTHONPATH": str(copy)}
    cache, here = tmp_path / "cache", folder(tmp_path)

    def page(*args: str) -> tuple[str, bool]:
        """The page, and whether typer printed it (rather than it being printed again)."""
        status, out, err, modules = saylau([*args, "--help"], cache, env, cwd=here)
        assert status == 0, err
        return out, "typer" in modules

    before = page()
    assert " observe " in before[0] and " recount " not in before[0] and before[1]
    assert page() == (before[0], False)
    assert "жариялау." in page("--lang", "kk")[0]

    module = copy / "saylau" / "cli" / "observe.py"
    source = module.read_text(encoding="utf-8").replace('@app.command("observe")', '@app.command("watch")')
    added = '\n\n@app.command("recount")\ndef recount() -> None:\n    """Count the ballots of a station again."""\n'
    module.write_text(source + added, encoding="utf-8")
    after, printed_by_typer = page()
    assert " watch " in after and " recount " in after and "Count the ballots of a station again." in after
    assert " observe " not in after and printed_by_typer
    assert page() == (after, False)

    catalogue = copy / "saylau" / "locale" / "kk" / "LC_MESSAGES" / "saylau.po"
    words = catalogue.read_text(encoding="utf-8")
    said = "Аралас сайлау жүйесімен сайлау өткізу және оның қорытындысын жариялау."
    assert said in words
    catalogue.write_text(words.replace(said, "Сайлау өткізіп, қорытындысын жариялау."), encoding="utf-8")
    translated = page("--lang", "kk")
    assert "Сайлау өткізіп, қорытындысын жариялау." in translated[0] and said not in translated[0] and translated[1]


@pytest.mark.parametrize(
    ("args", "help"),
    [
        ([], True),
        (["--help"], True),
        (["results", "--help"], True),
        (["users", "add", "--help"], True),
        (["results", "FOLDER", "--help"], False),  # a folder's name is no command's: not kept
        (["a", "b", "c", "--help"], False),
        (["results"], False),
        (["--help", "results"], False),
        (["--version"], False),
        (["-x", "--help"], False),
    ],
)
def test_what_asks_only_for_a_help_page(args: list[str], help: bool) -> None:
    assert asks_help(args) is help


def test_the_sources_are_every_module_and_catalogue_of_saylau(tmp_path: Path) -> None:
    listed = sources(path=[str(tmp_path)])
    for name in ("cli/observe.py", "cli/pages.py", "reports/i18n.py", "locale/kk/LC_MESSAGES/saylau.po"):
        assert f"saylau/{name} " in listed.replace(os.sep, "/")
    assert "__pycache__" not in listed and "/examples/" not in listed.replace(os.sep, "/")
    before = sources(path=[str(tmp_path)])
    (tmp_path / "newly-installed").mkdir()
    assert sources(path=[str(tmp_path)]) != before  # a package installed on the import path


def test_at_most_the_newest_pages_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAYLAU_HELP_CACHE", str(tmp_path))
    for n in range(KEPT + 3):
        with Keeping([f"command{n}", "--help"]):
            print(f"page {n}")
    assert len(list((tmp_path / "saylau-help").iterdir())) == KEPT  # no partial file left either
    assert kept(["command66", "--help"]) == ([(1, "page 66"), (1, "\n")], 0)
    assert kept(["command67", "--help"]) is None


def test_a_page_that_fails_is_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAYLAU_HELP_CACHE", str(tmp_path))
    with pytest.raises(RuntimeError), Keeping(["results", "--help"]):
        print("half a page")
        raise RuntimeError
    with pytest.raises(SystemExit), Keeping(["report", "--help"]):
        print("a page")
        sys.exit(0)
    assert kept(["results", "--help"]) is None
    assert kept(["report", "--help"]) == ([(1, "a page"), (1, "\n")], 0)


@pytest.mark.skipif(sys.platform == "win32", reason="closing a stream with the POSIX shell's >&-")
@pytest.mark.parametrize("closed", [">&-", "2>&-"])
def test_a_help_with_a_closed_stream_is_typers(tmp_path: Path, closed: str) -> None:
    """With stdout (or stderr) closed, Python has no stream to write the page to: typer prints it nowhere, exit
    status 0, and nothing is kept."""
    script = str(Path(sys.executable).parent / "saylau")
    environ = {**os.environ, "SAYLAU_HELP_CACHE": str(tmp_path)}
    for _ in range(2):
        done = subprocess.run(["sh", "-c", f'"$0" --help {closed}', script], capture_output=True, env=environ)
        assert done.returncode == 0 and b"Traceback" not in done.stderr + done.stdout
    assert not list(tmp_path.glob("saylau-help/*.page"))


def test_pages_are_kept_where_python_keeps_the_bytecode(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SAYLAU_HELP_CACHE", raising=False)
    monkeypatch.setattr(sys, "pycache_prefix", None)
    here = Path(pages.__file__).parent
    assert Path(pages.folder()) == here / "__pycache__"
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    assert Path(pages.folder()) == tmp_path / str(here).lstrip(os.sep)  # PYTHONPYCACHEPREFIX
    assert Path(pages.folder()) == Path(importlib.util.cache_from_source(pages.__file__)).parent  # as Python does
    monkeypatch.setenv("SAYLAU_HELP_CACHE", str(tmp_path / "elsewhere"))
    assert pages.folder() == str(tmp_path / "elsewhere")


def test_the_list_of_commands_read_from_source_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`saylau.cli.outline` reads the command modules once and keeps what it read (a change to one of them is
    on the next page: `test_a_command_added_renamed_or_translated_anew_is_on_the_next_page`)."""
    monkeypatch.setenv("SAYLAU_HELP_CACHE", str(tmp_path))
    read = outline.outlines(_COMMANDS)
    assert len(read) > 20 and (tmp_path / "saylau-help" / "outline.marshal").is_file()

    def unread(*_: object) -> Iterator[outline.Outline]:
        raise AssertionError("the modules were read again")

    monkeypatch.setattr(outline, "_registered", unread)
    assert outline.outlines(_COMMANDS) == read
    with pytest.raises(AssertionError):
        outline.outlines(_COMMANDS[:3])  # other modules: not what was kept
