"""The NIST SP 1500-100 v2 ElectionReport as XML, from the JSON report `saylau.reports.nist` builds.

Both forms come from one UML model, so the JSON report maps onto the XML schema mechanically: `@type`
`ElectionResults.X` is the schema's type `X` (written `xsi:type` where the element's declared type is an
abstract base, e.g. a `Contest` that is a `CandidateContest`), `@id` is the `ObjectId` attribute, a list of
ids is one `xsd:IDREFS` element, and a `LanguageString`'s `Content` is the element's text with its
`Language` attribute. The XML schema (`schemas/NIST_V2_election_results_reporting.xsd`, v2.0.3, the
usnistgov/ElectionResultsReporting repository, commit 0249b4a) gives each type's elements in the order its
`xsd:sequence` requires; the writer reads that order from the schema itself, so the file it writes is
valid wherever the JSON is, which the tests check with an XML Schema validator.

Two writers give the same bytes: `reference_nist_xml` reads as the mapping above says, element by element;
`render_nist_xml` (the publisher's) works out once, for each kind of element it meets (its name, schema type,
depth and keys), which attributes and children it writes in which order and with which tags, and then only
fills in the values: a report of 10,000 stations has some 400,000 elements of a few dozen kinds.
`tests/integration/test_nist_xml_paths.py` holds the two equal byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, BinaryIO
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

from saylau.reports.nist import Block, Lazy, Raw

NAMESPACE = "http://itl.nist.gov/ns/voting/1500-100/v2"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
_XS = "{http://www.w3.org/2001/XMLSchema}"
SCHEMA_FILE = "NIST_V2_election_results_reporting.xsd"


@dataclass(slots=True)
class _Type:
    """One complex type of the schema: its elements in sequence order (name -> declared type), attributes."""

    elements: dict[str, str] = field(default_factory=dict)
    attributes: set[str] = field(default_factory=set)
    simple_content: bool = False
    abstract: bool = False


@cache
def schema_types() -> Mapping[str, _Type]:
    """The schema's complex types, with each extension's base elements first (as XML Schema orders them)."""
    text = resources.files("saylau.reports").joinpath("schemas", SCHEMA_FILE).read_bytes()
    root = ET.fromstring(text)
    raw: dict[str, tuple[str | None, _Type]] = {}
    for node in root.findall(f"{_XS}complexType"):
        found = _Type(abstract=node.get("abstract") == "true")
        base = None
        extension = node.find(f"{_XS}complexContent/{_XS}extension")
        simple = node.find(f"{_XS}simpleContent/{_XS}extension")
        if extension is not None:
            base = extension.get("base")
            scope = extension
        elif simple is not None:
            found.simple_content = True
            scope = simple
        else:
            scope = node
        for element in scope.iter(f"{_XS}element"):
            found.elements[element.get("name", "")] = element.get("type", "")
        for attribute in scope.iter(f"{_XS}attribute"):
            found.attributes.add(attribute.get("name", ""))
        for attribute in node.findall(f"{_XS}attribute"):
            found.attributes.add(attribute.get("name", ""))
        raw[node.get("name", "")] = (base, found)

    def flat(name: str) -> _Type:
        base, own = raw[name]
        if base is None or base not in raw:
            return own
        parent = flat(base)
        return _Type(
            {**parent.elements, **own.elements}, parent.attributes | own.attributes, own.simple_content, own.abstract
        )

    return {name: flat(name) for name in raw}


def reference_nist_xml(report: Mapping[str, Any]) -> bytes:
    """The report (as `election_report` returns it) as an XML document, UTF-8, with its declaration: the
    definition, element by element (`render_nist_xml` writes the same bytes faster).

    Written as text in one pass (a precinct-level report of 10,000 stations has some 700,000 elements:
    building them as ElementTree nodes first would take several times as long)."""
    out: list[str] = ['<?xml version="1.0" encoding="utf-8"?>\n']
    _element(out, "ElectionReport", "ElectionReport", report, 0, _ROOT_ATTRIBUTES)
    return "".join(out).encode()


_ROOT_ATTRIBUTES = f' xmlns="{NAMESPACE}" xmlns:xsi="{XSI}"'


def render_nist_xml(report: Mapping[str, Any], writer: type[ElementWriter] | None = None) -> bytes:
    """`reference_nist_xml(report)`, byte for byte, each kind of element planned once (see the module), by
    `writer` (an `ElementWriter`, or a subclass that writes some elements its own way)."""
    out: list[str] = ['<?xml version="1.0" encoding="utf-8"?>\n']
    (writer or ElementWriter)(out).element("ElectionReport", "ElectionReport", report, 0, _ROOT_ATTRIBUTES)
    return "".join(out).encode()


def write_nist_xml(out: BinaryIO, report: Mapping[str, Any]) -> None:
    """`render_nist_xml` of the report, written to `out` as a stream: `report` as `saylau.reports.nist_columns.
    lazy_report` makes it, its long lists made as they are written (each station's line read as it comes), so
    neither the report nor the document is ever held whole."""
    writer = ElementWriter(['<?xml version="1.0" encoding="utf-8"?>\n'], lambda text: out.write(text.encode()))
    writer.element("ElectionReport", "ElectionReport", report, 0, _ROOT_ATTRIBUTES)
    writer.flush()


@dataclass(frozen=True, slots=True)
class _Plan:
    """How one kind of element is written: its opening up to the ObjectId, whether it has one, the attributes
    that follow (in order), then its text (`simple`) or its children (name, schema type, IDREFS?, tags)."""

    head: str
    has_id: bool
    attributes: tuple[str, ...]
    simple: bool
    children: tuple[tuple[str, str, bool, str, str], ...]
    end: str


class ElementWriter:
    """The planning writer: what `_element` decides for each element, decided once per kind of element.

    `element(name, declared, value, depth, extra)` appends the element's text to `out`; a subclass may write
    some elements its own way (`saylau.publish.reuse` takes an unchanged run of items from its text) and hand
    the others to this one."""

    def __init__(self, out: list[str], sink: Callable[[str], object] | None = None) -> None:
        self.out = out
        self.sink = sink
        """Where `out` is emptied once it holds PENDING pieces (None: never; `write_nist_xml`'s stream)."""
        self.plans: dict[tuple[Any, ...], _Plan] = {}

    def flush(self) -> None:
        if self.sink is not None:
            self.sink("".join(self.out))
            del self.out[:]

    def element(self, name: str, declared: str, value: Mapping[str, Any], depth: int, extra: str = "") -> None:
        key = (name, declared, depth, extra, value.get("@type"), *value)
        plan = self.plans.get(key)
        if plan is None:
            plan = self.plans[key] = _plan(name, declared, value, depth, extra)
        out = self.out
        opening = plan.head + (f' ObjectId="{_attribute(value["@id"])}"' if plan.has_id else "")
        for attribute in plan.attributes:
            opening += f' {attribute}="{_attribute(value[attribute])}"'
        if plan.simple:
            out.append(f"{opening}>{escape(_text(value.get('Content', '')))}{plan.end}")
            return
        out.append(opening + ">\n")
        for child, child_type, idrefs, start, stop in plan.children:
            item = value[child]
            if idrefs:
                out.append(start + escape(" ".join(str(v) for v in item)) + stop)
            elif type(item) is str:
                out.append(start + _escaped(item) + stop)
            elif type(item) is int:
                out.append(start + str(item) + stop)  # digits and a sign: nothing to escape
            elif type(item) is dict:
                self.element(child, child_type, item, depth + 1)
            else:
                for one in item if isinstance(item, list) else _items(item):
                    if isinstance(one, Mapping):
                        self.element(child, child_type, one, depth + 1)
                    else:
                        out.append(start + escape(_text(one)) + stop)
                    if self.sink is not None and len(out) >= PENDING:
                        self.flush()
        out.append(plan.end)


PENDING = 1 << 14
"""Pieces of text a stream gathers before it writes them."""


def _items(value: Any) -> Iterator[Any]:
    """The items of a `Lazy` list as dictionaries (a `Block`'s lines and a `Raw` read as JSON); a value that
    is not a list: itself."""
    if not isinstance(value, Lazy):
        yield value
        return
    for item in value:
        if isinstance(item, Block):
            yield from map(json.loads, item.lines)
        else:
            yield json.loads(item) if isinstance(item, Raw) else item


def _escaped(text: str) -> str:
    """`escape(text)`, without its three replacements where there is nothing to replace (almost always)."""
    return escape(text) if "&" in text or "<" in text or ">" in text else text


def _plan(name: str, declared: str, value: Mapping[str, Any], depth: int, extra: str) -> _Plan:
    """What `_element` writes for an element of this name, type, depth and keys (its errors too)."""
    actual = _type_of(value) or declared
    kind = schema_types()[actual]
    pad, inner = " " * depth, " " * (depth + 1)
    head = f"{pad}<{name}{extra}" + (f' xsi:type="{actual}"' if actual != declared else "")
    if kind.simple_content:
        attributes = tuple(a for a in sorted(kind.attributes) if a in value)
        return _Plan(head, "@id" in value, attributes, True, (), f"</{name}>\n")
    attributes = tuple(a for a in sorted(kind.attributes - {"ObjectId"}) if a in value and a not in kind.elements)
    unknown = set(value) - set(kind.elements) - kind.attributes - {"@type", "@id"}
    if unknown:
        raise ValueError(f"{actual} has no element {sorted(unknown)[0]!r} in the XML schema")
    children = tuple(
        (child, child_type, child_type == "xsd:IDREFS", f"{inner}<{child}>", f"</{child}>\n")
        for child, child_type in kind.elements.items()
        if child in value
    )
    return _Plan(head, "@id" in value, attributes, False, children, f"{pad}</{name}>\n")


def _type_of(value: Mapping[str, Any]) -> str:
    return str(value.get("@type", "")).removeprefix("ElectionResults.")


def _element(out: list[str], name: str, declared: str, value: Mapping[str, Any], depth: int, extra: str = "") -> None:
    kind = schema_types()[_type_of(value) or declared]
    actual = _type_of(value) or declared
    pad = " " * depth
    attributes = extra
    if actual != declared:
        attributes += f' xsi:type="{actual}"'
    if "@id" in value:
        attributes += f' ObjectId="{_attribute(value["@id"])}"'
    if kind.simple_content:
        for attribute in sorted(kind.attributes):
            if attribute in value:
                attributes += f' {attribute}="{_attribute(value[attribute])}"'
        out.append(f"{pad}<{name}{attributes}>{escape(_text(value.get('Content', '')))}</{name}>\n")
        return
    for attribute in sorted(kind.attributes - {"ObjectId"}):
        if attribute in value and attribute not in kind.elements:
            attributes += f' {attribute}="{_attribute(value[attribute])}"'
    unknown = set(value) - set(kind.elements) - kind.attributes - {"@type", "@id"}
    if unknown:
        raise ValueError(f"{actual} has no element {sorted(unknown)[0]!r} in the XML schema")
    out.append(f"{pad}<{name}{attributes}>\n")
    inner = " " * (depth + 1)
    for child, child_type in kind.elements.items():
        if child not in value:
            continue
        item = value[child]
        if child_type == "xsd:IDREFS":
            out.append(f"{inner}<{child}>{escape(' '.join(str(v) for v in item))}</{child}>\n")
            continue
        for one in item if isinstance(item, list) else (item,):
            if isinstance(one, Mapping):
                _element(out, child, child_type, one, depth + 1)
            else:
                out.append(f"{inner}<{child}>{escape(_text(one))}</{child}>\n")
    out.append(f"{pad}</{name}>\n")


def _attribute(value: Any) -> str:
    return escape(_text(value), {'"': "&quot;"})


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
