"""The service's commands speak the reader's language (issue 25): `--lang`, else `SAYLAU_LANG`, else English.

Users, the audit log, backup and restore, export and the refusals of verify, import and replay are run in
Kazakh and Russian on a fresh database; each line is the catalogue's words (written out here by hand), with
counted nouns in the form the count takes and counts grouped as the language writes them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import saylau.cli.backup  # registers backup and restore, and with them the service's commands
from saylau.cli.app import app

SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def saylau(*args: str, code: int = 0, env: dict[str, str] | None = None) -> str:
    """Run the command line in-process; its output and errors (the exit status asserted)."""
    result = CliRunner().invoke(app, list(args), terminal_width=200, env=env)
    assert result.exit_code == code, result.output
    return result.output


@SQLITE
@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "ru",
            [
                "добавлен пользователь op1 (оператор)",
                "op1\tоператор\t3,5\tактивен",
                "пользователь op1 отключён",
                "op1\tоператор\t3,5\tотключён",
                r"журнал аудита цел: \d+ запис(ь|и|ей)",
            ],
        ),
        (
            "kk",
            [
                "op1 қосылды (оператор)",
                "op1\tоператор\t3,5\tбелсенді",
                "op1 өшірілді",
                "op1\tоператор\t3,5\tөшірілген",
                r"аудит журналы бүтін: \d+ жол",
            ],
        ),
    ],
)
def test_users_and_the_audit_log(client: TestClient, database_url: str, lang: str, expected: list[str]) -> None:
    env = {"SAYLAU_PASSWORD": "a-long-pass-phrase-7"}
    db = ["--database", database_url, "--lang", lang]
    assert (
        saylau("users", "add", "op1", "--role", "operator", "--districts", "3,5", *db, env=env).strip() == expected[0]
    )
    listed = saylau("users", "list", *db).splitlines()
    assert expected[1] in listed
    assert saylau("users", "disable", "op1", *db).strip() == expected[2]
    assert expected[3] in saylau("users", "list", *db).splitlines()
    assert re.fullmatch(expected[4], saylau("audit", "verify", *db).strip())


@SQLITE
def test_the_language_comes_from_saylau_lang_when_no_lang_is_given(client: TestClient, database_url: str) -> None:
    listed = saylau("users", "list", "--database", database_url, env={"SAYLAU_LANG": "ru"})
    assert "admin\tадминистратор\tвесь город\tактивен" in listed.splitlines()
    said = saylau("users", "list", "--database", database_url, "--lang", "kk", env={"SAYLAU_LANG": "ru"})
    assert "admin\tәкімші\tбүкіл қала\tбелсенді" in said.splitlines()  # --lang wins over the environment
    refused = saylau("users", "list", "--database", database_url, code=2, env={"SAYLAU_LANG": "de"})
    assert "unknown language 'de'" in refused and "неизвестный язык 'de'" in refused


@pytest.mark.parametrize("rows", [1, 2, 5])
def test_the_audit_count_takes_russians_three_forms(rows: int) -> None:
    from saylau.reports.i18n import words

    forms = {1: "запись", 2: "записи", 5: "записей"}
    said = words("ru").n("audit log intact: {n} row", "audit log intact: {n} rows", rows)
    assert said == f"журнал аудита цел: {rows} {forms[rows]}"


@SQLITE
def test_backup_restore_and_export_in_russian(client: TestClient, database_url: str, tmp_path: Path) -> None:
    made = tmp_path / "backup.json"
    wrote = saylau("backup", str(made), "--database", database_url, "--lang", "ru").strip()
    assert wrote.startswith(f"записано: {made}: ") and "users: 1" in wrote and "SHA-256" in wrote
    again = saylau("backup", str(made), "--database", database_url, "--lang", "ru", code=2)
    assert again.strip() == f"ошибка: {made}: уже существует: выберите новый файл"
    restored = saylau("restore", str(made), "--data", str(tmp_path / "restored"), "--lang", "ru")
    assert re.match(
        rf"восстановлен[оаы]? [\d\u00a0]+ запис(ь|и|ей) из {re.escape(str(made))}; журнал аудита цел", restored
    )
    out = tmp_path / "exported"
    exported = saylau("export", str(out), "--database", database_url, "--lang", "kk").strip()
    assert exported == f"жазылды: {out}: 0 қабылданған хаттама"
    refused = saylau("export", str(out), "--database", database_url, "--lang", "kk", code=2)
    assert refused.strip() == f"қате: {out}: бар және бос емес"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", "ошибка: {path}: не читаемый файл JSON: "),
        ("kk", "қате: {path}: оқылатын JSON файлы емес: "),
        ("en", "error: {path}: is not a readable JSON file: "),
    ],
)
def test_a_bundle_that_is_not_json_is_refused_in_the_readers_language(lang: str, expected: str, tmp_path: Path) -> None:
    path = tmp_path / "bundle.json"
    path.write_text("{not json", encoding="utf-8")
    for command in ("verify", "import"):
        said = saylau(
            command, str(path), "--lang", lang, *(["--data", str(tmp_path)] if command == "import" else []), code=2
        )
        assert said.startswith(expected.format(path=path)), said


def test_a_replay_without_the_admin_password_is_refused_in_kazakh() -> None:
    said = saylau(
        "replay", "folder", "--url", "http://127.0.0.1:9", "--lang", "kk", code=2, env={"SAYLAU_ADMIN_PASSWORD": ""}
    )
    assert (
        said.strip() == "қате: [SAYLAU_ADMIN_PASSWORD]: SAYLAU_ADMIN_PASSWORD орнатыңыз: қайталау admin ретінде кіреді"
    )
