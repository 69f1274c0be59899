"""The service's last English sentences now come from the catalogues (issue 25): why the audit chain breaks,
why a results bundle does not match, how a folder differs from the stored definition, and the air gap's
refusal, in Kazakh, Russian and English (the words written out here by hand). What is stored keeps its text:
the air gap's reason stays the English the chain's hashes cover, and the audit page says it in its language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from saylau.errors import InputError, Phrase
from saylau.reports.problems import problem_line, said
from saylau.service import airgap, audit, results, transfer
from saylau.store import open_database
from saylau.web import Settings, prepare
from saylau.web.audit_page import reason
from saylau.web.labels import words
from tests.service.conftest import ALMATY
from tests.service.helpers import STATION_101_LIST, admin, user
from tests.service.test_cli_words import SQLITE, saylau

WHY = {
    "en": "its content does not match its hash",
    "ru": "её содержимое не совпадает с её хэшем",
    "kk": "мазмұны оның хэшіне сәйкес келмейді",
}
BROKEN = {
    "en": "audit log broken at row {row}: {why}",
    "ru": "журнал аудита нарушен в записи {row}: {why}",
    "kk": "аудит журналы {row}-жолда бұзылған: {why}",
}


def _edit_a_row(client: TestClient, database_url: str) -> int:
    one, two = user(client, "op1", "operator", [1]), user(client, "op2", "operator", [1])
    client.post("/api/protocols/101/list/entries", json=STATION_101_LIST, headers=one)
    client.post("/api/protocols/101/list/entries", json=STATION_101_LIST, headers=two)
    database = open_database(database_url, migrate=False)
    with database.unit_of_work() as connection:
        target = int(connection.execute(text("SELECT id FROM audit WHERE action = 'enter' LIMIT 1")).scalar_one())
        connection.execute(text("UPDATE audit SET after = '{}' WHERE id = :id"), {"id": target})
    database.close()
    return target


@SQLITE
def test_a_broken_chain_says_why_in_the_callers_language(client: TestClient, database_url: str) -> None:
    target = _edit_a_row(client, database_url)
    headers = admin(client)
    for lang, why in WHY.items():
        asked = client.get("/api/audit/verify", headers={**headers, "Accept-Language": lang}).json()
        assert (asked["broken_at"], asked["why"]) == (target, why)
        told = saylau("audit", "verify", "--database", database_url, "--lang", lang, code=1).strip()
        assert told == BROKEN[lang].format(row=target, why=why)


@SQLITE
def test_a_missing_last_row_names_both_rows(client: TestClient, database_url: str) -> None:
    database = open_database(database_url, migrate=False)
    with database.unit_of_work() as connection:
        last = int(connection.execute(text("SELECT max(id) FROM audit")).scalar_one())
        connection.execute(text("DELETE FROM audit WHERE id = :id"), {"id": last})
    with database.unit_of_work() as connection:
        found = audit.verify(connection)
    database.close()
    rows = {"row": last - 1, "last": last}
    assert found.why == "the log ends at row {row}, but row {last} was written".format(**rows)
    assert said(found.why, "ru") == "журнал заканчивается записью {row}, но была сделана запись {last}".format(**rows)
    assert said(found.why, "kk") == "журнал {row}-жолда аяқталады, бірақ {last}-жол жазылған".format(**rows)


@pytest.mark.parametrize(
    ("bundle", "lang", "line"),
    [
        (
            {"format": "x"},
            "en",
            "does not match: not a results bundle (format 'x', expected 'saylau-results-bundle/1')",
        ),
        (
            {"format": "x"},
            "ru",
            "не совпадает: это не пакет итогов (формат 'x', ожидался 'saylau-results-bundle/1')",
        ),
        (
            {"format": results.BUNDLE_FORMAT, "definition": {}, "sha256": "0"},
            "kk",
            "сәйкес емес: нәтижелер жинағы емес: protocols, council жоқ немесе түрі қате",
        ),
    ],
)
def test_a_bundle_that_does_not_match_is_told_in_the_readers_language(
    tmp_path: Path, bundle: dict[str, object], lang: str, line: str
) -> None:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    assert saylau("verify", str(path), "--lang", lang, code=1).strip() == line


def test_an_area_bundle_below_is_named_with_its_place() -> None:
    """A bundle of an area resting on one that is not a bundle of an area: the place, then why."""
    below = {"format": "other", "commission": "dec-a"}
    found = transfer.verify({"format": transfer.FORMAT, "sha256": "0", "rests_on": [below]})
    assert found[0] == "the SHA-256 does not match the bundle's content: it was changed"
    assert found[1] == "rests_on[0] (dec-a): not a results bundle of an area"
    assert said(found[1], "ru") == "rests_on[0] (dec-a): это не пакет итогов территории"
    assert said(found[1], "kk") == "rests_on[0] (dec-a): аумақтың нәтижелер жинағы емес"


@SQLITE
def test_a_folder_that_differs_from_the_stored_definition(settings: Settings, tmp_path: Path) -> None:
    first, _ = prepare(settings)
    first.close()
    changed = tmp_path / "almaty"
    changed.mkdir()
    for name in ("election.toml", "parties.csv", "lists.csv", "districts.csv", "candidates.csv", "stations.csv"):
        (changed / name).write_text((ALMATY / name).read_text(encoding="utf-8"), encoding="utf-8")
    header = (ALMATY / "stations.csv").read_text(encoding="utf-8").splitlines()[0]
    (changed / "stations.csv").write_text(header + "\n", encoding="utf-8")  # every station gone
    with pytest.raises(InputError) as caught:
        prepare(settings.model_copy(update={"folder": changed}))
    (problem,) = caught.value.problems
    assert str(problem) == (
        "differs from the stored definition: stations.csv:2: differs from the stored definition (now (end of file))"
    )
    assert problem_line(problem, "ru") == (
        "отличается от сохранённого определения: stations.csv:2: отличается от сохранённого определения "
        "(теперь (конец файла))"
    )
    assert problem_line(problem, "kk") == (
        "сақталған анықтамадан өзгеше: stations.csv:2: сақталған анықтамадан өзгеше (қазір (файлдың соңы))"
    )


def test_the_air_gaps_refusals() -> None:
    with pytest.raises(InputError) as caught:
        airgap.parse_address("outside")
    (problem,) = caught.value.problems
    assert problem_line(problem, "en") == "[--air-gap]: 'outside' is not an address HOST:PORT"
    assert problem_line(problem, "ru") == "[--air-gap]: 'outside' не является адресом вида HOST:PORT"
    assert problem_line(problem, "kk") == "[--air-gap]: 'outside' HOST:PORT түріндегі мекенжай емес"


def test_the_air_gaps_stored_reason_is_said_on_the_audit_page() -> None:
    """The log keeps the English the chain's hashes cover; the page says it in its reader's language, and leaves
    a reason a person typed as it is."""
    stored = airgap.REASON.format(address="192.0.2.1:53")
    assert stored == "192.0.2.1:53 is reachable: data entry refused"  # the text chains written so far hold
    assert reason(airgap.ACTION, stored, words("ru")) == "192.0.2.1:53 доступен: ввод данных отклонён"
    assert reason(airgap.ACTION, stored, words("kk")) == "192.0.2.1:53 қолжетімді: деректерді енгізу тоқтатылды"
    assert reason(airgap.ACTION, stored, words("en")) == stored
    assert reason("reopen", "a typo in row 3", words("ru")) == "a typo in row 3"


def test_the_audit_page_says_what_a_summary_and_a_publication_concern() -> None:
    """The log keeps the subjects `service.transfer` and `service.publication` wrote; the page says them."""
    from saylau.web.audit_page import subject

    ru, kk = words("ru"), words("kk")
    assert subject("summary of dec-a mäslihat list district 0", ru, {}) == (
        "сводный протокол dec-a: mäslihat, " + ru["list"] + ", округ № 0"
    )
    assert subject("summary of dec-a mäslihat district district 3", kk, {}) == (
        "dec-a жиынтық хаттамасы: mäslihat, " + kk["district"] + ", № 3 округ"
    )
    assert subject("publication of majilis", ru, {}) == "публикация · majilis"


@SQLITE
def test_a_body_too_large_or_too_deep_is_refused_in_the_callers_language(client: TestClient) -> None:
    from saylau.web.limits import MAX_BODY, MAX_DEPTH

    headers = {**user(client, "op1", "operator", [1]), "content-type": "application/json"}
    large = f"{MAX_BODY:,}".replace(",", "\xa0")
    for lang, said_large in (
        ("en", f"a request body has at most {MAX_BODY:,} bytes"),
        ("ru", f"тело запроса — не больше {large} байт"),
        ("kk", f"сұраныстың денесі ең көбі {large} байт"),
    ):
        asked = {**headers, "Accept-Language": lang, "content-length": str(MAX_BODY + 1)}
        refused = client.post("/api/protocols/101/list/entries", content=b" " * (MAX_BODY + 1), headers=asked)
        assert (refused.status_code, refused.json()["message"]) == (413, said_large)
    deep = '{"a":' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1)
    refused = client.post("/api/protocols/101/list/entries?lang=ru", content=deep, headers=headers)
    assert (refused.status_code, refused.json()["message"]) == (422, f"JSON вложен глубже {MAX_DEPTH} уровней")


def test_a_replay_the_service_stops_says_who_asked_what() -> None:
    from saylau.replay import AS_USER

    stopped = Phrase(AS_USER, request="POST /api/protocols/1/list/entries", user="op1", status=409, answer="{}")
    assert stopped == "POST /api/protocols/1/list/entries as op1: 409 {}"
    assert said(stopped, "ru") == "POST /api/protocols/1/list/entries от имени op1: 409 {}"
    assert said(stopped, "kk") == "POST /api/protocols/1/list/entries (op1 ретінде): 409 {}"
