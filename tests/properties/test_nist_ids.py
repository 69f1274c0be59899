"""NIST ids are unique and XML-name-like whatever the names they are derived from."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from saylau.reports.nist import Ids

NAMES = st.lists(st.text(max_size=12), max_size=30)


@given(NAMES, NAMES)
def test_ids_are_unique_and_safe(parties: list[str], lists: list[str]) -> None:
    ids = Ids({"gpu-city", "cand-against-all"})
    given_ids = [ids.new("party", n) for n in parties] + [ids.new("party-x", n) for n in lists]
    assert len(set(given_ids)) == len(given_ids)
    assert not {"gpu-city", "cand-against-all"} & set(given_ids)
    assert all(re.fullmatch(r"[0-9A-Za-z_.-]+", i) for i in given_ids)
