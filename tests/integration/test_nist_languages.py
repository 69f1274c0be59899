"""The NIST export names what saylau itself writes in both state languages too (issue 24): "against all"
(the shared glossary's барлығына қарсы / против всех) and the polling stations, beside the English."""

from __future__ import annotations

import json

from saylau.io import load_election
from saylau.reports.nist import render_nist
from saylau.result import declare
from tests.conftest import EXAMPLES


def _texts(node: object) -> list[dict[str, str]]:
    if isinstance(node, dict):
        if node.get("@type") == "ElectionResults.InternationalizedText":
            return [node]  # type: ignore[list-item]
        return [t for value in node.values() for t in _texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in _texts(value)]
    return []


def test_against_all_in_kazakh_and_russian() -> None:
    report = json.loads(render_nist(declare(load_election(EXAMPLES / "almaty-2023"))))
    names = [
        {s["Language"]: s["Content"] for s in text["Text"]}
        for text in _texts(report)
        if any(s["Content"] == "Against all" for s in text["Text"])
    ]
    assert names and all(n == {"en": "Against all", "kk": "Барлығына қарсы", "ru": "Против всех"} for n in names)
