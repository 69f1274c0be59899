"""The two lazily made sequences of a count's protocols share one base (`tabulation.protocol.LazyProtocols`):
the service's accepted protocols and the column reader's rows read, compare and refuse hashing alike."""

from __future__ import annotations

import pytest

from saylau.service.tallies import Accepted
from saylau.tabulation.fast import AcceptedRows, ProtocolTable
from saylau.tabulation.protocol import FIGURES, Protocol, make_protocol


def protocol(station: int, votes: int) -> Protocol:
    lines = dict.fromkeys(FIGURES, 0) | {"registered": 100, "received": 100, "issued": votes}
    return make_protocol(station, 1, "list", lines, {"A": votes})


PROTOCOLS = (protocol(1, 10), protocol(2, 20), protocol(3, 30))


def sequences() -> list[Accepted | AcceptedRows]:
    by_key = {(p.station, p.ballot): p for p in reversed(PROTOCOLS)}  # put in key order when read
    return [
        Accepted(by_key),
        AcceptedRows([ProtocolTable.of(PROTOCOLS[:2]), PROTOCOLS[2]]),
    ]


@pytest.mark.parametrize("lazy", sequences(), ids=["Accepted", "AcceptedRows"])
def test_a_lazy_sequence_reads_and_compares_as_its_protocols(lazy: Accepted | AcceptedRows) -> None:
    assert len(lazy) == 3
    assert list(lazy) == list(PROTOCOLS)
    assert lazy[0] == PROTOCOLS[0] and lazy[-1] == PROTOCOLS[2] and list(lazy[1:]) == list(PROTOCOLS[1:])
    assert lazy == PROTOCOLS and lazy == list(PROTOCOLS)
    assert lazy != PROTOCOLS[:2] and lazy != (PROTOCOLS[1], PROTOCOLS[0], PROTOCOLS[2])
    assert lazy != "abc" and lazy != 3
    with pytest.raises(TypeError):
        hash(lazy)


def test_the_two_kinds_are_equal_to_each_other_when_they_hold_the_same_protocols() -> None:
    service, columns = sequences()
    assert service == columns and columns == service
