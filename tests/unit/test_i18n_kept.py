"""A catalogue babel read is kept and read back (`saylau.reports.i18n.parsed`): the same translations, counted
phrases and plural rule as babel's `read_po` gives, and read by babel again once the `.po` file changes."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from saylau.reports import i18n
from saylau.reports.i18n import Catalogue, parsed


def po(code: str) -> Path:
    return Path(str(resources.files("saylau").joinpath("locale", code, "LC_MESSAGES", "saylau.po")))


def babel(path: Path, code: str) -> Catalogue:
    """The catalogue as babel reads it, here without saylau's code."""
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=code, domain="saylau")
    said = {m.id: m.string for m in catalog if isinstance(m.id, str) and m.id and isinstance(m.string, str)}
    counted = [(m.id, m.string) for m in catalog if isinstance(m.id, tuple) and isinstance(m.string, tuple)]
    forms = {ids[0]: tuple(strings) for ids, strings in counted if all(strings)}
    return Catalogue({k: v for k, v in said.items() if v}, forms, catalog.plural_expr)


def no_babel(*_: object) -> Catalogue:
    raise AssertionError("read by babel: the kept catalogue was not read back")


@pytest.mark.parametrize("code", ["kk", "ru"])
def test_a_kept_catalogue_is_the_one_babel_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str) -> None:
    expected = babel(po(code), code)
    assert len(expected.messages) > 1000 and expected.forms and "n" in expected.plural
    assert parsed(po(code), code, str(tmp_path)) == expected
    assert (tmp_path / f"saylau-{code}.catalogue").is_file()
    monkeypatch.setattr(i18n, "_read_po", no_babel)
    assert parsed(po(code), code, str(tmp_path)) == expected


def test_a_changed_catalogue_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "saylau.po"
    shutil.copyfile(po("kk"), copy)
    keep = str(tmp_path / "kept")
    assert parsed(copy, "kk", keep).messages["Turnout"] == "Сайлаушылардың қатысуы"
    text = copy.read_text(encoding="utf-8")
    copy.write_text(text.replace('msgstr "Сайлаушылардың қатысуы"', 'msgstr "Қатысу"', 1), encoding="utf-8")
    assert parsed(copy, "kk", keep).messages["Turnout"] == "Қатысу"
    monkeypatch.setattr(i18n, "_read_po", no_babel)
    assert parsed(copy, "kk", keep).messages["Turnout"] == "Қатысу"  # and that one is kept


def test_nothing_kept_where_the_folder_cannot_be_written(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    assert parsed(po("ru"), "ru", str(blocked / "kept")) == babel(po("ru"), "ru")
    assert list(tmp_path.iterdir()) == [blocked]


def test_a_kept_file_that_is_not_a_catalogue_is_read_again(tmp_path: Path) -> None:
    (tmp_path / "saylau-ru.catalogue").write_bytes(b"\x00 not marshal")
    assert parsed(po("ru"), "ru", str(tmp_path)) == babel(po("ru"), "ru")
