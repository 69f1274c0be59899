"""A watching publisher paces itself while the night writes, and publishes the night's last state at once.

`saylau.publish.watch` on a clock of its own (no sleeping, no timing of this machine): a pass costs one CPU second,
the writers write every tenth of a second until they stop. Paced to a quarter of a core, a pass starts four
seconds after the one before while the writes go on, and within `QUIET` (and one look) of the last write once they
stop, never waiting out the rest of its pace, nor past `LONGEST` after a long pass; unpaced, one pass follows
another.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest

from saylau.publish import watch as watching

LAST_WRITE = 10.0
"""When the writers stop (seconds on the test's clock); they write every 0.1 s until then."""


@dataclass
class Clock:
    """The wall and CPU clocks the watch reads (`time.monotonic`, `time.process_time`), moved by the test."""

    now: float = 0.0
    cpu: float = 0.0

    def monotonic(self) -> float:
        return self.now

    def process_time(self) -> float:
        return self.cpu


@dataclass
class Stop:
    """The watch's stop event: waiting moves the clock; set once the clock passes `at`."""

    clock: Clock
    at: float

    def is_set(self) -> bool:
        return self.clock.now >= self.at

    def wait(self, seconds: float) -> bool:
        self.clock.now += seconds
        return self.is_set()


@dataclass(frozen=True)
class Read:
    """What a pass read: the head it stands at (`DaySource.version`), every gate open."""

    version: int
    contests: tuple[Any, ...] = ()

    def open_at(self, _now: datetime) -> tuple[bool, ...]:
        return (True,)


@dataclass
class Night:
    clock: Clock = field(default_factory=Clock)
    passes: list[tuple[float, int]] = field(default_factory=list)
    """(when each pass began, the head it read)."""

    def head(self, _database: object) -> int:
        return round(min(self.clock.now, LAST_WRITE) * 10)  # a write every 0.1 s until the last one

    def read(self, _database: object, since: int, previous: object) -> Read:
        return Read(self.head(None))

    cost: float = 1.0
    """A pass's seconds of the wall clock and of the CPU."""

    def publish(self, source: Read) -> None:
        self.passes.append((self.clock.now, source.version))
        self.clock.now += self.cost
        self.clock.cpu += self.cost


@pytest.fixture
def night(monkeypatch: pytest.MonkeyPatch) -> Night:
    made = Night()
    monkeypatch.setattr(watching, "time", made.clock)
    monkeypatch.setattr(watching, "head", made.head)
    monkeypatch.setattr(watching, "from_database", made.read)
    return made


def test_paced_while_the_night_writes_and_at_once_when_it_stops(night: Night) -> None:
    stop = Stop(night.clock, at=20.0)
    watching.watch(object(), night.publish, lambda: 0, every=1.0, stop=stop, share=0.25)  # type: ignore[arg-type]
    began = [when for when, _ in night.passes]
    assert began[:3] == [0.0, 4.0, 8.0], "a pass of 1 CPU second at most a quarter of the time"
    quiet = LAST_WRITE + watching.QUIET
    assert quiet <= began[3] <= quiet + watching.QUIET / 2, "the last write published without the rest of the pace"
    assert night.passes[-1][1] == night.head(None) and len(began) == 4, "the last state, then nothing to publish"


def test_a_long_pass_does_not_keep_the_pages_still_past_the_longest_wait(night: Night) -> None:
    night.cost = 5.0  # its pace would be 20 s with a quarter of a core (LONGEST set to 8 s below)
    stop = Stop(night.clock, at=9.0)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(watching, "LONGEST", 8.0)
        watching.watch(object(), night.publish, lambda: 0, every=1.0, stop=stop, share=0.25)  # type: ignore[arg-type]
    assert [when for when, _ in night.passes] == [0.0, 8.0]  # the writes go on till 10 s


def test_unpaced_one_pass_after_another(night: Night) -> None:
    stop = Stop(night.clock, at=20.0)
    watching.watch(object(), night.publish, lambda: 0, every=1.0, stop=stop, share=None)  # type: ignore[arg-type]
    began = [when for when, _ in night.passes]
    assert began[:10] == [float(k) for k in range(10)]
    assert night.passes[-1][1] == night.head(None)


def test_the_command_paces_as_the_watch_does() -> None:
    from saylau.cli.publish import publish_service

    assert inspect.signature(publish_service).parameters["share"].default == watching.SHARE
