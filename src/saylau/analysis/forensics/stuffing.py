"""The documented fraud models the tests and benchmarks/forensics.py inject into clean elections.

Neither is a claim about how any real election was falsified; they are the two the literature describes,
written down so that each statistic's power is measured against something anyone can re-run:

- `stuff`: ballot stuffing. A share of the stations is chosen at random; at each, a fraction x ~ U(low,
  high) of the abstainers' ballots (registered - found) is cast for the leading party: found, issued and the
  leader's votes grow by the same number, and cancelled ballots shrink by it (never below zero), so the
  protocol still adds up.
- `round_off`: figures rewritten to targets. At a share of the stations, ballots for the leader are added
  until turnout reaches the next multiple of 5% and the leader's share the next whole percentage (votes
  moved from the other options), each written as the count nearest to that percentage.
- `invent_digits`: counts made up by hand. At a share of the stations every count of 10 or more is rounded
  to the nearest multiple of 5.

Both act on the list ballot only and return the changed protocols with the stations they touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from saylau.tabulation import Protocol


def _leader(protocols: Sequence[Protocol]) -> str:
    totals: dict[str, int] = {}
    for p in protocols:
        if p.ballot == "list":
            for option, votes in p.votes.items():
                totals[option] = totals.get(option, 0) + votes
    return min(totals, key=lambda o: (-totals[o], o))


def _chosen(protocols: Sequence[Protocol], share: float, rng: np.random.Generator) -> list[int]:
    stations = sorted({p.station for p in protocols if p.ballot == "list"})
    count = round(share * len(stations))
    return sorted(int(s) for s in rng.choice(stations, size=count, replace=False)) if count else []


def _add(p: Protocol, leader: str, added: int) -> Protocol:
    added = max(0, min(added, p.cancelled))
    votes = dict(p.votes)
    votes[leader] = votes.get(leader, 0) + added
    return replace(p, found=p.found + added, issued=p.issued + added, cancelled=p.cancelled - added, votes=votes)


def stuff(
    protocols: Sequence[Protocol], share: float, seed: int, low: float = 0.1, high: float = 0.6
) -> tuple[list[Protocol], frozenset[int]]:
    """Ballot stuffing at `share` of the stations (see the module's docstring)."""
    rng = np.random.default_rng([seed, 28])
    leader = _leader(protocols)
    chosen = set(_chosen(protocols, share, rng))
    fraction = {s: float(rng.uniform(low, high)) for s in sorted(chosen)}
    out = [
        _add(p, leader, int(fraction[p.station] * (p.registered - p.found)))
        if p.ballot == "list" and p.station in chosen
        else p
        for p in protocols
    ]
    return out, frozenset(chosen)


def _nearest(percent: int, of: int) -> int:
    """The whole count nearest to `percent`% of `of` (half up)."""
    return (2 * percent * of + 100) // 200


def round_off(protocols: Sequence[Protocol], share: float, seed: int) -> tuple[list[Protocol], frozenset[int]]:
    """Figures rewritten to round turnout and a whole leader's share at `share` of the stations."""
    rng = np.random.default_rng([seed, 29])
    leader = _leader(protocols)
    chosen = frozenset(_chosen(protocols, share, rng))
    out = []
    for p in protocols:
        if p.ballot != "list" or p.station not in chosen or p.registered <= 0:
            out.append(p)
            continue
        turnout = -(-100 * p.found // p.registered)  # the whole percentage at or above the turnout
        target = min(100, -(-turnout // 5) * 5)
        q = _add(p, leader, _nearest(target, p.registered) - p.found)
        share_now = -(-100 * q.votes.get(leader, 0) // q.found) if q.found else 0
        wanted = _nearest(min(100, share_now), q.found) - q.votes.get(leader, 0)
        votes = dict(q.votes)
        for option in sorted((o for o in votes if o != leader), key=lambda o: -votes[o]):
            moved = min(wanted, votes[option])
            votes[option] -= moved
            votes[leader] += moved
            wanted -= moved
            if wanted <= 0:
                break
        out.append(replace(q, votes=votes))
    return out, chosen


def invent_digits(protocols: Sequence[Protocol], share: float, seed: int) -> tuple[list[Protocol], frozenset[int]]:
    """Counts written by hand at `share` of the stations: every option's votes of 10 or more rounded to the
    nearest multiple of 5 (people who make numbers up favour 0 and 5); the ballots found, issued and cancelled
    follow, so the protocol still adds up."""
    rng = np.random.default_rng([seed, 30])
    chosen = frozenset(_chosen(protocols, share, rng))
    out = []
    for p in protocols:
        if p.ballot != "list" or p.station not in chosen:
            out.append(p)
            continue
        votes = {o: (5 * ((v + 2) // 5) if v >= 10 else v) for o, v in p.votes.items()}
        found = sum(votes.values()) + p.against_all + p.invalid
        added = min(found - p.found, p.cancelled)
        if added != found - p.found:  # not enough unused ballots to write that many in: leave the station
            out.append(p)
            continue
        out.append(replace(p, votes=votes, found=found, issued=p.issued + added, cancelled=p.cancelled - added))
    return out, chosen
