"""Unknown keys in election.toml are errors, each with a "did you mean" suggestion.

A table written in the wrong place (`[system.list_tier]` instead of `[system.overrides.list_tier]`) used to be
silently ignored; now every key is checked against the known shape, and a key that belongs to the rules
under `system` is pointed to `system.overrides`. The rules themselves (`system.overrides.*`) are checked by
their pydantic models (extra="forbid"), whose unknown keys get the same suggestion in
`saylau.rules.presets`.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from saylau.io.table import Problems
from saylau.rules import ElectoralSystem

LANGUAGES = ("kk", "ru", "en")
"""Languages a name may be given in besides the registered one (`name_kk`, `name_ru`, `name_en`)."""

_NAMES = {f"name_{lang}": None for lang in LANGUAGES}

SHAPE: Mapping[str, Any] = {
    "name": None,
    **_NAMES,
    "date": None,
    "notes": None,
    "country": None,
    "territory": None,
    "commission": {"name": None, **_NAMES, "chair": None, "deputy_chair": None, "secretary": None},
    "names": {"cyrillic": None},
    "body": {"name": None, **_NAMES, "convocation": None, "seats": None, "majority_fraction": None},
    "system": {"preset": None, "overrides": None},
    "secretary": {"before": None, "before_party": None, "after": None, "after_party": None},
    "results": {"published_turnout": None},
    "previous": {"folder": None, "successors": None},
}


def suggestion(key: str, known: list[str], prefix: str = "") -> str:
    """ " (did you mean X?)" for the closest known key, or "" when none is close."""
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f" (did you mean {prefix}{close[0]}?)" if close else ""


def check_keys(config: Mapping[str, Any], problems: Problems, shape: Mapping[str, Any] = SHAPE, path: str = "") -> None:
    """Add one problem per unknown key, naming its TOML path and the closest known key."""
    for key, value in config.items():
        where = f"{path}{key}"
        if key not in shape:
            hint = suggestion(key, list(shape), path)
            if path == "system." and key in ElectoralSystem.model_fields:
                hint = f" (did you mean system.overrides.{key}?)"
            problems.add(f"unknown key {where!r}{hint}", "election.toml", field=where)
            continue
        inner = shape[key]
        if isinstance(inner, Mapping) and isinstance(value, Mapping):
            check_keys(value, problems, inner, where + ".")
