"""docs/architecture.md stays true: every home it names for a rule exists, and its worked example is a system
saylau accepts and decides as the example says (so the map cannot drift from the code it maps)."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path
from types import ModuleType

from saylau.apportionment import Method, ThresholdBase, TieRule
from saylau.rules import Combination, DistrictRounds, ElectoralSystem

DOC = Path(__file__).parents[2] / "docs" / "architecture.md"


def _table_names() -> list[str]:
    """Every `module.function` named in the table of rules (dotted names in backticks, in the table rows)."""
    rows = [line for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    names = []
    for row in rows:
        module_cell = row.split("|")[2]
        names += re.findall(r"`([A-Za-z_][A-Za-z_.]*)`", module_cell)
    return names


def _resolve(name: str, module: ModuleType | None) -> tuple[object, ModuleType]:
    """A dotted name under `saylau`, and the module it is in; a bare name (`_absorb`, after
    `composition.tiers._compensatory`) is looked up in the module of the name before it."""
    if "." not in name:
        assert module is not None, name
        return getattr(module, name), module
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found = importlib.import_module("saylau." + ".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        target: object = found
        for attribute in parts[cut:]:
            target = getattr(target, attribute)
        return target, found
    raise AssertionError(f"{name} names nothing in saylau")


def test_every_home_in_the_table_exists() -> None:
    names = _table_names()
    assert len(names) > 25
    module = None
    for name in names:
        target, module = _resolve(name, module)
        assert target is not None, name


def test_the_worked_example_is_a_system_saylau_accepts() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", text, re.S)
    assert block is not None
    entry = ast.literal_eval("{" + block.group(1).strip().rstrip(",") + "}")
    (preset,) = entry.values()
    data = {key: value for key, value in preset.items() if key != "description"}
    data["list_tier"] = {**data["list_tier"], "seats": 30}
    system = ElectoralSystem.model_validate(data)
    assert system.list_tier is not None and system.district_tier is not None
    assert system.list_tier.method is Method.DHONDT
    assert system.list_tier.threshold_base is ThresholdBase.CAST
    assert system.list_tier.threshold_percent == 4
    assert system.district_tier.rounds is DistrictRounds.TWO
    assert system.district_tier.tie is TieRule.LOT
    assert system.combination is Combination.PARALLEL
