"""Results up the tree: three district commissions and one territorial commission, as four instances.

The day: Almaty's mäslihat (`city`, examples/almaty-2023) on its 553 stations; the territorial commission
`tec` declares it; district commissions `dec-a`, `dec-b` and `dec-c` cover its districts 1-7, 8-14 and
15-21. Each runs its own SQLite database (an air-gapped instance). Each district commission enters its
stations (two operators), exports its signed bundle; the territorial commission imports the three, a person
types each paper summary protocol (the sums of the example's own protocols, computed here from the CSV
files) as the second entry, and certifies. Its council is the one `saylau results` gives on the example
folder; `saylau verify` checks its bundle down to the stations. A tampered bundle, one re-signed by another
key, one from the wrong commission and a stale one are refused with the reason, and nothing changes; a
`saylau import` killed with SIGKILL leaves the database as before the import or after it.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from saylau.service import audit, protocols, results, transfer
from saylau.service.errors import ServiceError
from saylau.service.permissions import Actor, Commission, Role
from saylau.service.protocols import FIGURES, Typing
from saylau.service.states import Action, EntryState
from saylau.store import Database
from saylau.store.backup import dump
from saylau.web import Settings, create_app, prepare
from tests.integration.test_almaty_2023 import run_saylau
from tests.service.conftest import ADMIN_PASSWORD, ALMATY
from tests.service.helpers import user
from tests.service.test_election_day import _paper
from tests.service.test_tallies import recount, running

AREAS = {"dec-a": range(1, 8), "dec-b": range(8, 15), "dec-c": range(15, 22)}


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tree_day(tmp_path_factory.mktemp("tree"))


def tree_day(root: Path) -> Path:
    """The day folder under `root`: Almaty's mäslihat with the territorial and three district commissions."""
    shutil.copytree(ALMATY, root / "almaty-2023")
    shutil.copytree(ALMATY.parent / "almaty-2021", root / "almaty-2021")
    folder = root / "day"
    folder.mkdir()
    (folder / "day.toml").write_text(
        'name = "Almaty, 19 March 2023"\ndate = 2023-03-19\n\n'
        '[[contests]]\nid = "city"\nfolder = "../almaty-2023"\nregions = ["Almaty"]\n',
        encoding="utf-8",
    )
    with (ALMATY / "stations.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with (folder / "stations.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["station", "registered", "region", "district:city"])
        writer.writerows([r["station"], r["registered"], "Almaty", r["district"]] for r in rows)
    with (folder / "commissions.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "level", "parent", "name", "region", "contest", "districts", "declares"])
        writer.writerow(["tec", "territorial", "", "Almaty City TEC", "Almaty", "", "", "city"])
        for name, area in AREAS.items():
            writer.writerow([name, "district", "tec", name, "", "city", " ".join(map(str, area)), ""])
    return folder


@contextlib.contextmanager
def instance(day: Path, data: Path) -> Iterator[Database]:
    database, _ = prepare(Settings(folder=day, data=data, admin_password=ADMIN_PASSWORD))
    with contextlib.closing(database):
        yield database


def _state(database: Database) -> dict[str, Any]:
    with database.unit_of_work() as connection:
        return dump(connection)["tables"]  # type: ignore[no-any-return]


def _member(commission: str, name: str, role: Role, stations: frozenset[int]) -> Actor:
    return Actor(name, role, commission=Commission(commission, "x", stations, frozenset({"city"})))


def _district_commission(database: Database, name: str) -> dict[str, Any]:
    """Both operators of the commission type every protocol of its area; its bundle."""
    area = {s for s, b, f in _paper() if f and _district(s) in AREAS[name]}
    typed = [(s, b, f) for s, b, f in _paper() if s in area]
    with database.unit_of_work() as connection:
        transfer.make_key(connection, name)
    for who in ("op1", "op2"):
        actor = _member(name, f"{name}-{who}", Role.OPERATOR, frozenset(area))
        with database.unit_of_work() as connection:
            outcomes = protocols.enter_all(connection, [Typing(actor, s, b, f, "city") for s, b, f in typed])
        assert not [o for o in outcomes if isinstance(o, Exception)]
    outsider = _member(name, f"{name}-op1", Role.OPERATOR, frozenset(area))
    stranger = next(s for s, _, _ in _paper() if s not in area)
    with database.unit_of_work() as connection, pytest.raises(ServiceError, match="not in the area"):
        protocols.enter(connection, outsider, stranger, "list", _paper()[0][2], "city")
    with database.unit_of_work() as connection:
        return transfer.export(connection)


def _district(station: int) -> int:
    return station // 100


def _paper_summary(name: str, ballot: str, district: int) -> dict[str, Any]:
    """The paper summary protocol of a district commission, summed here from the example's CSV protocols."""
    total: dict[str, Any] = dict.fromkeys(FIGURES, 0) | {"votes": {}}
    for station, kind, figures in _paper():
        if kind != ballot or _district(station) not in AREAS[name]:
            continue
        if ballot == "district" and _district(station) != district:
            continue
        for line in FIGURES:
            total[line] += figures[line]
        for option, votes in figures["votes"].items():
            total["votes"][option] = total["votes"].get(option, 0) + votes
    return total


def _refused(database: Database, bundle: Any, reason: str) -> None:
    before = _state(database)
    with database.unit_of_work() as connection, pytest.raises(transfer.Refused, match=reason):
        transfer.import_bundle(connection, bundle)
    assert _state(database) == before, "a refused import changed what is stored"


def test_three_district_commissions_and_one_territorial(day: Path, tmp_path: Path) -> None:
    assert all(_district(s) == int(r) for s, r in _stations_and_districts())
    bundles, keys = {}, {}
    for name in AREAS:
        with instance(day, tmp_path / name) as database:
            bundles[name] = _district_commission(database, name)
            keys[name] = bundles[name]["public_key"]
    (tmp_path / "dec-a.json").write_text(json.dumps(bundles["dec-a"]), encoding="utf-8")

    with instance(day, tmp_path / "tec") as tec:
        with tec.unit_of_work() as connection:
            transfer.make_key(connection, "tec")
            for name, key in keys.items():
                transfer.trust(connection, name, key)

        tampered = copy.deepcopy(bundles["dec-a"])
        tampered["protocols"][0]["figures"]["invalid"] += 100
        _refused(tec, tampered, "SHA-256 does not match")
        tampered["sha256"] = transfer.digest(tampered)  # re-hashed, but the signature is dec-a's of the old hash
        _refused(tec, tampered, "signature is not that of dec-a")
        _refused(tec, {"format": "saylau-backup/1"}, "not a results bundle")

        with tec.unit_of_work() as connection:
            for name, made in bundles.items():
                done = transfer.import_bundle(connection, made)
                assert done.commission == name and done.summaries == 1 + len(AREAS[name])
        _refused(tec, bundles["dec-b"], "stale")

        # The paper summaries, typed by a person of the territorial commission: one mistyped, then resolved.
        typist = _member("tec", "tec-op", Role.OPERATOR, frozenset(range(101, 2200)))
        chief = _member("tec", "tec-chief", Role.COORDINATOR, frozenset(range(101, 2200)))
        with tec.unit_of_work() as connection:
            waiting = transfer.listing(connection, chief)
        assert len(waiting) == 3 + 21 and {s["state"] for s in waiting} == {"first-entry"}
        for s in waiting:
            key = (s["commission"], s["contest"], s["ballot"], s["district"])
            typed = _paper_summary(s["commission"], s["ballot"], s["district"])
            mistyped = key == ("dec-b", "city", "district", 9)
            if mistyped:
                typed = {**typed, "found": typed["found"] + 1}
            with tec.unit_of_work() as connection:
                state = transfer.enter_summary(connection, typist, key, typed)
            assert state is (EntryState.DIFFERENT if mistyped else EntryState.ACCEPTED), key
        with tec.unit_of_work() as connection:
            kept = transfer.resolve_summary(connection, chief, ("dec-b", "city", "district", 9), Action.KEEP_FIRST)
        assert kept is EntryState.ACCEPTED
        with tec.unit_of_work() as connection:  # the summaries accepted moved the running tallies as a recount
            counted = running(connection)
            assert counted == recount(connection) and len(counted["stations"]) == len(_paper())
            assert {line[0] for line in counted["commissions"]} == {"tec", *AREAS}

        with tec.unit_of_work() as connection:
            certified = results.certify(connection, _member("tec", "tec-chief", Role.COORDINATOR, frozenset()))
            assert audit.verify(connection).intact
    assert len(certified["rests_on"]) == 3

    done = run_saylau("results", str(ALMATY), "--json")
    assert done.returncode == 0, done.stderr
    offline = {p["name"]: (p["list_seats"], p["district_seats"]) for p in json.loads(done.stdout)["parties"]}
    assert {p["name"]: (p["list_seats"], p["district_seats"]) for p in certified["council"]["parties"]} == offline

    path = tmp_path / "tec.json"
    path.write_text(json.dumps(certified), encoding="utf-8")
    checked = run_saylau("verify", str(path))
    assert checked.returncode == 0 and checked.stdout.startswith("matches"), checked.stdout + checked.stderr
    below = run_saylau("verify", str(tmp_path / "dec-a.json"))
    assert below.returncode == 0 and "signed by key" in below.stdout, below.stdout + below.stderr

    # A station figure changed inside a bundle below (and the outer hash fixed up): verify names it.
    broken = copy.deepcopy(certified)
    broken["rests_on"][0]["protocols"][0]["figures"]["against_all"] += 1
    broken["sha256"] = results.digest(broken)
    path.write_text(json.dumps(broken), encoding="utf-8")
    failed = run_saylau("verify", str(path))
    assert failed.returncode == 1 and "rests_on[0] (dec-a): the SHA-256 does not match" in failed.stdout


def _stations_and_districts() -> list[tuple[int, str]]:
    with (ALMATY / "stations.csv").open(encoding="utf-8") as handle:
        return [(int(r["station"]), r["district"]) for r in csv.DictReader(handle)]


def test_a_bundle_from_the_wrong_commission_is_refused(day: Path, tmp_path: Path) -> None:
    with instance(day, tmp_path / "dec-a") as below:
        made = _district_commission(below, "dec-a")
    with instance(day, tmp_path / "dec-b") as sibling:
        with sibling.unit_of_work() as connection:
            transfer.make_key(connection, "dec-b")
            transfer.trust(connection, "dec-a", made["public_key"])
        _refused(sibling, made, "wrong commission: dec-a reports to tec, this is dec-b")
    with instance(day, tmp_path / "tec") as tec:
        with tec.unit_of_work() as connection:
            transfer.make_key(connection, "tec")
        _refused(tec, made, "no key of dec-a is trusted here")


def test_an_import_killed_half_way_leaves_the_database_before_or_after(day: Path, tmp_path: Path) -> None:
    """`saylau import` runs as its own process; the test watches the database's write lock and sends SIGKILL
    while the process holds it for the first, second, third... time (the schema check on opening, the
    import's own transaction, the checkpoint on closing: which one a kill lands in depends on timing). After
    every kill the database is as before the import or as after it, never in between."""
    with instance(day, tmp_path / "dec-a") as below:
        made = _district_commission(below, "dec-a")
    bundle = tmp_path / "dec-a.json"
    bundle.write_text(json.dumps(made), encoding="utf-8")
    data = tmp_path / "tec"
    with instance(day, data) as tec, tec.unit_of_work() as connection:
        transfer.make_key(connection, "tec")
        transfer.trust(connection, "dec-a", made["public_key"])
    command = [sys.executable, "-m", "saylau", "import", str(bundle), "--data", str(data)]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    kills, outcomes = 0, []
    for period in (1, 2, 2, 3, 3, 4):
        process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        kills += _kill_in_write(process, data / "saylau.sqlite", period)
        process.wait()
        with instance(day, data) as tec:
            state = _state(tec)
        found = (len(state["imports"]), len(state["summaries"]))
        assert found in ((0, 0), (1, 8)), f"a killed import left a part behind: {found}"
        outcomes.append("after" if found[0] else "before")
        if found[0]:
            break
    assert kills >= 1, "no kill landed while the import process held the write lock"
    if outcomes[-1] == "before":
        finished = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
        assert finished.returncode == 0, finished.stdout + finished.stderr
    with instance(day, data) as tec:
        state = _state(tec)
    assert (len(state["imports"]), len(state["summaries"])) == (1, 8)


def _kill_in_write(process: subprocess.Popen[bytes], path: Path, period: int) -> int:
    """SIGKILL the process while it holds the database's write lock for the `period`-th time (1), or let it
    run out when that is not seen (0)."""
    periods, locked = 0, False
    while process.poll() is None:
        probe = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            held = False
        except sqlite3.OperationalError:
            held = True
        finally:
            probe.close()
        if held and not locked:
            periods += 1
        locked = held
        if held and periods >= period:
            process.send_signal(signal.SIGKILL)
            return 1
    return 0


@contextlib.contextmanager
def territorial(day: Path, tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, Any]]]:
    """The territorial commission's service, trusting dec-a's key, and dec-a's bundle (not imported yet)."""
    with instance(day, tmp_path / "dec-a") as below:
        made = _district_commission(below, "dec-a")
    settings = Settings(folder=day, data=tmp_path / "tec", admin_password=ADMIN_PASSWORD, secure_cookies=False)
    database, _ = prepare(settings)
    with contextlib.closing(database), TestClient(create_app(settings, database)) as client:
        with database.unit_of_work() as connection:
            transfer.make_key(connection, "tec")
            transfer.trust(connection, "dec-a", made["public_key"])
        yield client, made


def test_the_import_page_refuses_with_the_reason_and_lists_the_summaries(day: Path, tmp_path: Path) -> None:
    with territorial(day, tmp_path) as (client, made):
        user(client, "chief", "coordinator")
        client.headers.clear()
        csrf = client.post("/api/login", json={"name": "chief", "password": "pw-chief-123"}).json()["csrf"]
        empty = client.get("/staff/import?lang=kk")
        assert empty.status_code == 200 and "Әзірге бірде-бір жинақ жүктелмеген." in empty.text
        tampered = copy.deepcopy(made)
        tampered["protocols"][0]["figures"]["invalid"] += 1
        files = {"bundle": ("dec-a.json", json.dumps(tampered).encode(), "application/json")}
        refused = client.post("/staff/import", data={"csrf": csrf}, files=files)
        assert refused.status_code == 409 and "оның SHA-256 мазмұнына сәйкес келмейді" in refused.text  # the page's kk
        assert client.get("/api/summaries").json() == []
        files = {"bundle": ("dec-a.json", json.dumps(made).encode(), "application/json")}
        done = client.post("/staff/import", data={"csrf": csrf}, files=files, follow_redirects=False)
        assert done.status_code == 303, done.text
        page = client.get("/staff/import?lang=ru")
        assert page.text.count('<tr class="first-entry">') == 8 and "Сводные протоколы" in page.text
