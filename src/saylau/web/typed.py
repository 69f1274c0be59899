"""Figures typed into an entry form, before they are finalised: as numbers (`typed_figures`), and the
warnings they raise as the form shows them (`typed_warnings`: the page, and the draft's API answer while the
clerk types, so the warnings are seen at their lines before pressing finalise, issue 23)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from saylau.errors import one_line
from saylau.reports.checks import detail, for_clerk
from saylau.service import protocols
from saylau.service.errors import ServiceError
from saylau.service.permissions import Actor
from saylau.tabulation import FIGURES
from saylau.web.bounds import clerk_number


def typed_figures(values: Mapping[str, str], found: protocols.Form) -> dict[str, Any]:
    """The typed figures as numbers (`bounds.clerk_number`: ASCII digits, clerks' separators)."""
    figures: dict[str, Any] = {line: clerk_number(values.get(line, ""), line) for line in FIGURES}
    figures["votes"] = {o: clerk_number(values.get(f"vote:{o}", ""), f"vote:{o}") for o in found.options}
    return figures


@dataclass(frozen=True, slots=True)
class Warned:
    """The warnings typed figures raise, as the entry form shows them (each with its code, the clerk's sentence
    with the figures, the lines it marks and the two sides' figures beside them); `seen` says that these
    warnings were shown for these figures (the form sends it back with the finalise); `blocked` that the
    figures also break a blocking check (the finalise is refused for that, whatever the warnings)."""

    shown: list[dict[str, Any]]
    seen: str
    blocked: bool


def typed_warnings(
    connection: Connection, actor: Actor | None, found: protocols.Form, values: Mapping[str, str], lang: str
) -> Warned:
    """The warnings of the figures typed into `found`'s form (none until every line is a number)."""
    try:
        figures = typed_figures(values, found)
        findings = protocols.typed_findings(connection, actor, found.station, found.ballot, figures, found.contest)
    except ServiceError:
        return Warned([], "", False)
    warnings = [f for f in findings if f.severity == "warning"]
    shown = [
        {
            "code": f.code.value,
            "text": for_clerk(f, lang),
            "fields": list(f.fields),
            "detail": one_line(detail(f, lang)),
        }
        for f in warnings
    ]
    canonical = json.dumps([figures, sorted(f.code.value for f in warnings)], sort_keys=True)
    seen = hashlib.sha256(canonical.encode()).hexdigest()[:24] if warnings else ""
    return Warned(shown, seen, any(f.severity == "error" for f in findings))
