"""Making a group's files in another process while the publisher makes the others (the NIST report, which
is most of a version's time at a country's size, on a second core).

The child is forked (it shares the count already in memory, nothing is pickled on the way in); its files come
back through a pipe when the publisher reaches the group. Where fork is not available, or the child fails, the
files are made in the publisher's own process, so the version is the same either way.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Callable
from typing import Any

from saylau.publish.pages import File

ENABLED = True
"""Whether groups are made ahead in another process (benchmarks/publish.py compares both)."""


class Ahead:
    """`make()` started now; `files()` waits for its files."""

    def __init__(self, make: Callable[[], list[File]]) -> None:
        self._make = make
        self._process: Any = None
        self.elsewhere = False
        """Whether `files()` gave what the other process made (not made here)."""
        if not ENABLED or "fork" not in multiprocessing.get_all_start_methods():
            return
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)

        def child() -> None:
            try:
                send.send_bytes(pickle.dumps(("files", make()), protocol=pickle.HIGHEST_PROTOCOL))
            except BaseException as error:  # the parent makes the files itself
                send.send_bytes(pickle.dumps(("failed", repr(error))))
            finally:
                send.close()

        self._process = context.Process(target=child, name="saylau-publish-ahead", daemon=True)
        self._process.start()
        send.close()

    def files(self) -> list[File]:
        if self._process is None:
            return self._make()
        try:
            kind, value = pickle.loads(self._receive.recv_bytes())
        except (EOFError, OSError):
            kind, value = "failed", "the process ended"
        finally:
            self.cancel()
        self.elsewhere = kind == "files"
        made: list[File] = value if kind == "files" else self._make()
        return made

    def cancel(self) -> None:
        """Stop the child (a publisher that stops before the group does not leave it behind)."""
        if self._process is not None:
            self._receive.close()
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None
