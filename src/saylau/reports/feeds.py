"""The versions feed in each language: Atom (RFC 4287) and JSON Feed 1.1, newest version first.

Each entry is one published version: its status and, when it corrected figures already published, every
change in words (`saylau.reports.corrections.describe`) with the coordinator's reason. A consumer that read
an earlier figure learns from the feed that it changed, to what and why. Links are relative to the feed's
own place (the target's root), so the feed works on any host.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree import ElementTree as ET

from saylau.domain import CountStatus
from saylau.reports.corrections import describe
from saylau.reports.i18n import words
from saylau.reports.phrases import STATUS

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 500
"""Versions a feed lists (the newest); `versions.json` lists them all."""


def feed_title(lang: str) -> str:
    """The feeds' title: "Versions and corrections" in `lang`."""
    return words(lang)("Versions and corrections")


def _status(entry: Mapping[str, Any], lang: str) -> str:
    w = words(lang)
    try:
        return w(STATUS[CountStatus(entry["status"])])
    except (KeyError, ValueError):
        return str(entry.get("status", ""))


def entry_text(entry: Mapping[str, Any], lang: str) -> tuple[str, list[str]]:
    """A version's title and its changes, in `lang`."""
    w = words(lang)
    changes = [describe(c, w) for c in entry.get("note", {}).get("changes", [])]
    title = f"{w('Version')} {entry['version']}: {_status(entry, lang)}"
    if changes:
        title += f" · {w('Corrections')}: {len(changes)}"
    return title, changes


def render_atom(entries: Sequence[Mapping[str, Any]], lang: str, title: str) -> bytes:
    """The Atom feed of `entries` (oldest first, as versions.json keeps them) in `lang`."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    newest = list(entries)[-FEED_ENTRIES:][::-1]
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"urn:saylau:versions:{lang}"
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = str(newest[0]["published"]) if newest else "1970-01-01T00:00:00Z"
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": f"feed.{lang}.atom"})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "saylau"
    for entry in newest:
        heading, changes = entry_text(entry, lang)
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(item, f"{{{ATOM}}}title").text = heading
        ET.SubElement(item, f"{{{ATOM}}}id").text = f"urn:saylau:version:{entry['version']}"
        ET.SubElement(item, f"{{{ATOM}}}updated").text = str(entry["published"])
        ET.SubElement(item, f"{{{ATOM}}}link", {"href": str(entry["index"].get(lang, ""))})
        if changes:
            ET.SubElement(item, f"{{{ATOM}}}content", {"type": "text"}).text = "\n".join(changes)
        else:
            ET.SubElement(item, f"{{{ATOM}}}content", {"type": "text"}).text = heading
    ET.indent(feed, space=" ")
    text: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return text + b"\n"


def render_json_feed(entries: Sequence[Mapping[str, Any]], lang: str, title: str) -> bytes:
    """The same feed as JSON Feed 1.1, each item with its changes as data too (`_saylau`)."""
    items = []
    for entry in list(entries)[-FEED_ENTRIES:][::-1]:
        heading, changes = entry_text(entry, lang)
        items.append(
            {
                "id": f"urn:saylau:version:{entry['version']}",
                "url": entry["index"].get(lang, ""),
                "title": heading,
                "content_text": "\n".join(changes) if changes else heading,
                "date_published": entry["published"],
                "_saylau": {
                    "version": entry["version"],
                    "status": entry["status"],
                    "changes": entry.get("note", {}).get("changes", []),
                },
            }
        )
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "language": lang,
        "feed_url": f"feed.{lang}.json",
        "items": items,
    }
    return json.dumps(feed, ensure_ascii=False, indent=1).encode()
