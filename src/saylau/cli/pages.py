"""Help pages printed before, printed again without typer: `saylau --help` in about the time of `python -c pass`.

Why: a help page is the same bytes every time it is asked for in the same place (the same command line, the
same sources, the same terminal), but printing it takes typer, click and rich, and in Kazakh or Russian the
catalogue (0.10-0.15 s in all, where Python itself starts in 0.01 s). So the first time a help is asked for
(`saylau --help`, `saylau COMMAND [SUBCOMMAND] --help`, in any `--lang`, or `saylau` alone), typer prints it as
always and what it wrote is kept, with its exit status, in the package's `__pycache__/saylau-help/`, as
Python keeps its bytecode there. The next time, those bytes are written again and nothing else is imported.
typer stays the one definition of every page: nothing here knows how a page looks.

A kept page is printed only where everything it was printed from is the same (`context` and `sources`):
- the command line and its `SAYLAU_LANG`, the program's name, the Python that runs it;
- where the output goes: whether stdout and stderr are terminals, the terminal's size, their encodings, and
  every environment variable typer or rich read to lay a page out (`LAYOUT`: `COLUMNS`, `TERM`, `NO_COLOR`...);
- every source file of saylau (its modules and catalogues: name, size, modification time, inode), and each
  folder of the import path (a package installed, upgraded or removed there changes the folder).
Anything else differs, and typer prints the page again (and it is kept in place of the old one). A folder
that cannot be written (an installation shared read-only) keeps nothing: typer prints every page, as before.
`SAYLAU_HELP_CACHE` names another folder to keep the pages in (the tests use it).
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib

TYPE_CHECKING = False  # typing's names for mypy only: a page printed again imports neither typing nor re
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType
    from typing import Any, TextIO

__all__ = [
    "LAYOUT",
    "Keeping",
    "asks_help",
    "bytecode_folder",
    "context",
    "folder",
    "kept",
    "replay",
    "sources",
    "store",
    "stored",
]

LAYOUT = (
    "COLUMNS",
    "LINES",
    "TERM",
    "COLORTERM",
    "NO_COLOR",
    "FORCE_COLOR",
    "PY_COLORS",
    "GITHUB_ACTIONS",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "TERMINAL_WIDTH",
    "TYPER_USE_RICH",
    "_TYPER_FORCE_DISABLE_TERMINAL",
    "JUPYTER_COLUMNS",
    "JUPYTER_LINES",
    "DATABRICKS_RUNTIME_VERSION",
)
"""The environment variables typer 0.29 and rich 15 read to lay out a help page (`typer.rich_utils`,
`rich.console.Console`); the language's (`SAYLAU_LANG`) is read with the command line."""

CACHE_VARIABLE = "SAYLAU_HELP_CACHE"
"""Names the folder the pages are kept in, in place of the package's `__pycache__/saylau-help`."""

KEPT = 64
"""The most pages kept (one per command line and terminal); past it the oldest is forgotten."""

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_SOURCES = (".py", ".po", ".mo", ".toml", ".json")
_SKIPPED = ("__pycache__", "examples")
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_")


def asks_help(args: list[str]) -> bool:
    """Whether `args` (without its `--lang`) only asks for a help page: `--help` after at most two command
    names, or nothing at all (`saylau` alone prints its help)."""
    *names, last = args or ["--help"]
    return last == "--help" and len(names) <= 2 and all(n[:1].isalpha() and set(n) <= _NAME_CHARS for n in names)


def context(args: list[str]) -> str:
    """Everything but the sources that the page `args` asks for is printed from (see the module's docstring)."""
    terminal: list[object] = []
    for fd in (0, 1, 2):
        try:
            terminal.append(tuple(os.get_terminal_size(fd)))
        except (OSError, ValueError):
            terminal.append(None)
    streams = [(getattr(s, "encoding", None), _isatty(s)) for s in (sys.stdout, sys.stderr)]
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    said = {
        "args": args,
        "argv0": sys.argv[0] if sys.argv else "",
        "main": getattr(spec, "name", None),
        "lang": os.environ.get("SAYLAU_LANG"),
        "python": [sys.executable, sys.version, sys.platform],
        "path": sys.path,
        "terminal": terminal,
        "streams": streams,
        "layout": {name: os.environ[name] for name in LAYOUT if name in os.environ},
    }
    return repr(sorted(said.items()))


def sources(path: list[str] | None = None, package: str = _PACKAGE) -> str:
    """saylau's source files (name, size, modification time, inode) and the import path's folders (their
    modification time: installing or removing a package there changes it): a page printed from other sources
    is not printed again."""
    found: list[str] = []
    _walk(package, found)
    for entry in sys.path if path is None else path:
        try:
            found.append(f"{entry} {os.stat(entry or '.').st_mtime_ns}")
        except OSError:
            found.append(f"{entry} -")
    return "\n".join(found)


def _walk(folder: str, found: list[str]) -> None:
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in _SKIPPED:
                    _walk(entry.path, found)
            elif entry.name.endswith(_SOURCES):
                stat = entry.stat()
                found.append(f"{entry.path} {stat.st_size} {stat.st_mtime_ns} {stat.st_ino}")


def folder() -> str:
    """Where the pages are kept: `SAYLAU_HELP_CACHE`, else where Python keeps this module's bytecode (its
    `__pycache__`, or under `PYTHONPYCACHEPREFIX` where one is set)."""
    return os.environ.get(CACHE_VARIABLE) or bytecode_folder(os.path.dirname(os.path.abspath(__file__)))


def bytecode_folder(directory: str) -> str:
    """Where Python writes the bytecode of the modules in `directory` (`importlib.util.cache_from_source`)."""
    prefix = sys.pycache_prefix
    return os.path.join(prefix, directory.lstrip(os.sep)) if prefix else os.path.join(directory, "__pycache__")


def _file(said: str) -> str:
    return os.path.join(folder(), "saylau-help", f"{zlib.crc32(said.encode('utf-8', 'surrogatepass')):08x}.page")


def kept(args: list[str]) -> tuple[list[tuple[int, str]], int] | None:
    """The page `args` asks for as printed before (what was written to stdout (1) and stderr (2), in order,
    and the exit status), or None where it was not, or was printed from something that has changed since."""
    said = context(args)
    page = stored(_file(said))
    if not (isinstance(page, tuple) and len(page) == 4 and page[0] == said and page[1] == sources()):
        return None
    return page[2], page[3]


def replay(page: tuple[list[tuple[int, str]], int]) -> None:
    """Write a kept page as it was written, and exit with its status."""
    written, status = page
    for stream, text in written:
        out = sys.stdout if stream == 1 else sys.stderr
        out.write(text)
        out.flush()
    sys.exit(status)


class Keeping:
    """Keep what the help printed inside the block writes to stdout and stderr, with the exit status it leaves
    with, to be printed again (`kept`, `replay`); nothing is kept where it fails or cannot be written."""

    def __init__(self, args: list[str]) -> None:
        self._said = context(args)
        self._sources = sources()
        self._written: list[tuple[int, str]] = []
        self._streams = sys.stdout, sys.stderr

    def __enter__(self) -> None:
        sys.stdout = _Tee(self._streams[0], 1, self._written)
        sys.stderr = _Tee(self._streams[1], 2, self._written)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, _: TracebackType | None) -> None:
        tees = (sys.stdout, sys.stderr)
        sys.stdout, sys.stderr = self._streams
        status = error.code if isinstance(error, SystemExit) else 0 if kind is None else None
        whole = not any(isinstance(t, _Tee) and t.bypassed for t in tees)
        if isinstance(status, int) and whole and self._sources == sources():
            _keep(_file(self._said), (self._said, self._sources, self._written, status))


def _keep(path: str, page: tuple[str, str, list[tuple[int, str]], int]) -> None:
    """Write a page where it is kept, and forget the oldest pages past `KEPT`."""
    if not store(path, page):
        return
    try:
        pages = sorted(
            (e.stat().st_mtime_ns, e.path) for e in os.scandir(os.path.dirname(path)) if e.name.endswith(".page")
        )
        for _, old in pages[:-KEPT]:
            os.remove(old)
    except OSError:
        return


def store(path: str, value: Any) -> bool:
    """Write `value` (marshal) to `path`, a whole file or none, even beside another process writing it; whether
    it was written (a folder that cannot be written keeps nothing)."""
    partial = f"{path}.{os.getpid()}"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(partial, "wb") as handle:
            marshal.dump(value, handle)
        os.replace(partial, path)
    except (OSError, ValueError):
        _forget(partial)
        return False
    return True


def _forget(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        return


def stored(path: str) -> object:
    """What `store` wrote to `path`, or None where there is nothing readable there."""
    try:
        with open(path, "rb") as handle:
            return marshal.load(handle)
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _isatty(stream: Any) -> bool | None:
    isatty: Callable[[], bool] | None = getattr(stream, "isatty", None)
    try:
        return None if isatty is None else bool(isatty())
    except ValueError:
        return None


class _Tee:
    """A text stream that writes through to `stream` and keeps what it wrote (typer, click and rich see the
    stream itself: its encoding, whether it is a terminal, its file descriptor)."""

    def __init__(self, stream: TextIO, number: int, written: list[tuple[int, str]]) -> None:
        self._stream = stream
        self._number = number
        self._written = written
        self.bypassed = False

    def write(self, text: str) -> int:
        count = self._stream.write(text)  # bytes are refused by the stream first, as without the tee
        if text:
            self._written.append((self._number, text))
        return count

    def writelines(self, lines: list[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        if name == "buffer":  # bytes written past the tee: what it kept is not the whole page
            self.bypassed = True
        return getattr(self._stream, name)
