"""The verifiable log, tried as a company, a court and a forger would: receipts, proofs and the
offline verifier against what the running API signed, and direct edits of the store.

The verifier runs as a separate process from its own file, with no database, as a court would run it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.db import Database
from app.ledger import verifier
from app.services import ledger_upgrade
from app.services.ingest import ingest_raw
from tests.factories import MAKER, Events, first_life, pack, seed_registry, vin

VERIFIER = Path(verifier.__file__)


def _check(tmp: Path, key: str, what: str, doc: Any, *extra: str, **files: Any) -> subprocess.CompletedProcess[str]:
    """Run the one-file verifier on ``doc`` (and named side files) as an outsider would."""
    (tmp / "key.pem").write_text(key)
    (tmp / f"{what}.json").write_text(json.dumps(doc))
    args = []
    for flag, content in files.items():
        (tmp / f"{flag}.json").write_text(json.dumps(content))
        args += [f"--{flag}", str(tmp / f"{flag}.json")]
    return subprocess.run(
        [sys.executable, str(VERIFIER), "--key", str(tmp / "key.pem"), what, str(tmp / f"{what}.json"), *args, *extra],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _flip(text: str) -> str:
    """One hex digit changed."""
    return text[:-1] + ("0" if text[-1] != "0" else "1")


@pytest.fixture
def reporter(app_client: TestClient, key_for: Callable[..., str], db: Database) -> TestClient:
    seed_registry(db)
    app_client.headers["X-API-Key"] = key_for("reporter", MAKER)
    return app_client


def _public_key(client: TestClient) -> str:
    answer = client.get("/v1/log/public-key", headers={"X-API-Key": ""})
    assert answer.status_code == 200
    return str(answer.json()["public_key_pem"])


def test_a_receipt_from_a_capture_verifies_offline_and_a_changed_byte_does_not(
    reporter: TestClient, tmp_path: Path
) -> None:
    ev = Events("rc")
    batch = [ev.produced(pack(n)) for n in range(1, 4)]
    answer = reporter.post("/v1/events", json={"events": batch})
    assert answer.status_code == 200, answer.text
    receipt = answer.json()["receipt"]
    assert [e["event_id"] for e in receipt["entries"]] == [e["event_id"] for e in batch]
    assert [e["index"] for e in receipt["entries"]] == [0, 1, 2]
    assert receipt["tree_head"]["tree_size"] == 3
    key = _public_key(reporter)

    assert all(e["payload"]["event_id"] == sent["event_id"] for e, sent in zip(receipt["entries"], batch, strict=True))
    accepted = [e["payload"] for e in receipt["entries"]]
    ok = _check(tmp_path, key, "receipt", answer.json(), events={"events": accepted})
    assert ok.returncode == 0 and ok.stdout.startswith("valid: 3 event(s)"), ok.stdout

    # Each field a dispute could turn on, changed by one character, fails with a reason.
    for path in (
        ("signature",),
        ("tree_head", "root_hash"),
        ("entries", 1, "record_hash"),
        ("entries", 2, "inclusion", 0),
    ):
        forged = json.loads(json.dumps(receipt))
        holder = forged
        for step in path[:-1]:
            holder = holder[step]
        last = path[-1]
        value = holder[last]
        if last == "signature":  # its first base64 character changed: "A", or "B" when it was an "A" (1 in 64)
            holder[last] = ("B" if value.startswith("A") else "A") + value[1:]
        else:
            holder[last] = _flip(value)
        bad = _check(tmp_path, key, "receipt", forged)
        assert bad.returncode == 1 and bad.stdout.startswith("invalid: "), (path, bad.stdout)
    # A payload other than the one accepted (a later claim of an earlier report) fails too.
    late = [dict(accepted[0], occurred_at="2026-03-01T08:00:00+08:00"), *accepted[1:]]
    bad = _check(tmp_path, key, "receipt", receipt, events={"events": late})
    assert bad.returncode == 1 and "differs from the one that was accepted" in bad.stdout, bad.stdout
    forged = json.loads(json.dumps(receipt))
    forged["entries"][0]["payload"]["occurred_at"] = "2026-03-01T08:00:00+08:00"
    bad = _check(tmp_path, key, "receipt", forged)
    assert bad.returncode == 1 and "signature does not verify" in bad.stdout, bad.stdout
    # The same receipt through the project's own command line.
    cli = subprocess.run(
        [sys.executable, "-m", "app.cli", "verify-proof", "--key", str(tmp_path / "key.pem"), "receipt",
         str(tmp_path / "receipt.json")],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert cli.returncode == 1  # receipt.json holds the last forged one
    (tmp_path / "receipt.json").write_text(json.dumps(receipt))
    cli = subprocess.run(
        [sys.executable, "-m", "app.cli", "verify-proof", "--key", str(tmp_path / "key.pem"), "receipt",
         str(tmp_path / "receipt.json")],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert cli.returncode == 0 and cli.stdout.startswith("valid"), cli.stdout


def test_a_resend_gets_no_second_place_in_the_log(reporter: TestClient) -> None:
    batch = [Events("dup").produced(pack(1))]
    first = reporter.post("/v1/events", json={"events": batch}).json()
    again = reporter.post("/v1/events", json={"events": batch}).json()
    assert (first["accepted"], again["accepted"], again["duplicates"]) == (1, 0, 1)
    assert again["receipt"] is None
    assert reporter.get("/v1/log/head").json()["tree_size"] == 1


def test_inclusion_and_consistency_proofs_verify_offline_and_fail_when_one_byte_changes(
    client: TestClient, db: Database, tmp_path: Path
) -> None:
    seed_registry(db)
    ev = Events("pr")
    first = first_life(ev, pack(1), vin(1))
    assert client.post("/v1/events", json={"events": first}).status_code == 200
    kept = client.get("/v1/log/head").json()
    for n in range(2, 5):
        assert client.post("/v1/events", json={"events": first_life(ev, pack(n), vin(n))}).status_code == 200
    key = _public_key(client)
    size = client.get("/v1/log/head").json()["tree_size"]
    assert size > kept["tree_size"]

    event_id = first[1]["event_id"]
    proof = client.get("/v1/log/proof/inclusion", params={"event_id": event_id}).json()
    assert proof["tree_head"]["tree_size"] == size
    assert _check(tmp_path, key, "inclusion", proof).returncode == 0
    at_kept = client.get("/v1/log/proof/inclusion", params={"event_id": event_id, "tree_size": kept["tree_size"]})
    assert at_kept.json()["tree_head"]["root_hash"] == kept["root_hash"]
    for field in ("leaf_hash", "path"):
        forged = json.loads(json.dumps(proof))
        forged[field] = [_flip(forged[field][0]), *forged[field][1:]] if field == "path" else _flip(forged[field])
        bad = _check(tmp_path, key, "inclusion", forged)
        assert bad.returncode == 1 and bad.stdout.startswith("invalid: "), bad.stdout

    proof = client.get("/v1/log/proof/consistency", params={"from": kept["tree_size"]}).json()
    ok = _check(tmp_path, key, "consistency", proof, first=kept)
    assert ok.returncode == 0 and ok.stdout.startswith(f"valid: size {size} extends"), ok.stdout
    forged = json.loads(json.dumps(proof))
    forged["path"][-1] = _flip(forged["path"][-1])
    assert _check(tmp_path, key, "consistency", forged, first=kept).returncode == 1
    rewritten = dict(kept, root_hash=_flip(kept["root_hash"]))
    bad = _check(tmp_path, key, "consistency", proof, first=rewritten)
    assert bad.returncode == 1 and "another head" in bad.stdout, bad.stdout


def test_a_batterys_proof_bundle_verifies_offline(client: TestClient, db: Database, tmp_path: Path) -> None:
    seed_registry(db)
    ev = Events("bd")
    assert client.post("/v1/events", json={"events": first_life(ev, pack(1), vin(1))}).status_code == 200
    assert client.post("/v1/events", json={"events": first_life(ev, pack(2), vin(2))}).status_code == 200
    bundle = client.get(f"/v1/batteries/{pack(1)}/proof").json()
    key = _public_key(client)
    ok = _check(tmp_path, key, "bundle", bundle)
    assert ok.returncode == 0 and ok.stdout.startswith(f"valid: {len(bundle['events'])} event(s)"), ok.stdout
    forged = json.loads(json.dumps(bundle))
    forged["events"][0]["payload"]["occurred_at"] = "2026-01-01T00:00:00+08:00"
    bad = _check(tmp_path, key, "bundle", forged)
    assert bad.returncode == 1 and "differs from the one that was accepted" in bad.stdout, bad.stdout
    forged["events"][0]["content_hash"] = verifier.content_hash(forged["events"][0]["payload"])
    bad = _check(tmp_path, key, "bundle", forged)
    assert bad.returncode == 1 and "do not give its record hash" in bad.stdout, bad.stdout
    forged = json.loads(json.dumps(bundle))
    forged["events"] = forged["events"][1:]
    assert _check(tmp_path, key, "bundle", forged).returncode == 1


def test_a_reporter_gets_proofs_of_its_own_events_only(
    reporter: TestClient, key_for: Callable[..., str], db: Database
) -> None:
    batch = [Events("own").produced(pack(1))]
    assert reporter.post("/v1/events", json={"events": batch}).status_code == 200
    own = reporter.get("/v1/log/proof/inclusion", params={"event_id": batch[0]["event_id"]})
    assert own.status_code == 200
    from tests.factories import AUTOMAKER

    other = reporter.get(
        "/v1/log/proof/inclusion",
        params={"event_id": batch[0]["event_id"]},
        headers={"X-API-Key": key_for("reporter", AUTOMAKER)},
    )
    assert other.status_code == 404


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        ("SET e.recorded_at = e.recorded_at - duration('P3D')", "chain hash does not follow"),
        ("SET e.imported = true", "chain hash does not follow"),
        ("SET e.imported = 'no'", "imported is 'no'"),
        ("REMOVE e.recorded_at", "recorded_at is missing"),
    ],
)
def test_editing_when_or_how_an_event_was_recorded_is_caught(
    client: TestClient, db: Database, edit: str, expected: str
) -> None:
    """A late report made to look timely: recorded_at moved back three days in the store."""
    seed_registry(db)
    events = first_life(Events("rec"), pack(1), vin(1))
    assert client.post("/v1/events", json={"events": events}).status_code == 200
    assert client.get(f"/v1/batteries/{pack(1)}/verify").json()["valid"] is True
    with db.driver.session() as session:
        session.run(f"MATCH (e:Event {{event_id: $id}}) {edit}", id=events[1]["event_id"]).consume()
    verified = client.get(f"/v1/batteries/{pack(1)}/verify").json()
    assert verified["valid"] is False
    reasons = [p["reason"] for p in verified["problems"] if p["event_id"] == events[1]["event_id"]]
    assert any(expected in r for r in reasons), reasons
    assert not ledger_upgrade.audit_log(db).valid


def test_the_whole_log_audit_covers_events_of_no_battery(client: TestClient, db: Database) -> None:
    seed_registry(db)
    ev = Events("veh")
    events = first_life(ev, pack(1), vin(1))
    assert client.post("/v1/events", json={"events": events}).status_code == 200
    report = ledger_upgrade.audit_log(db, page=3)
    assert report.valid, report.problems
    head = client.get("/v1/log/head").json()
    assert (report.size, report.root) == (head["tree_size"], head["root_hash"])
    assert ledger_upgrade.audit_log(db, kept=(head["tree_size"], head["root_hash"])).valid
    sold = next(e for e in events if e["type"] == "vehicle_sold")  # of a vehicle: in no battery's chain
    target = sold["event_id"]
    forged = json.dumps(dict(sold, occurred_at="2026-06-30T00:00:00+08:00"), sort_keys=True)
    with db.driver.session() as session:
        session.run("MATCH (e:Event {event_id: $id}) SET e.payload = $forged", id=target, forged=forged).consume()
    report = ledger_upgrade.audit_log(db, page=3)
    assert not report.valid
    assert any(target in p for p in report.problems), report.problems


def test_writers_in_two_processes_append_in_commit_order_without_losing_an_event(
    db: Database, settings: Settings
) -> None:
    """Two Database objects stand for two API processes (each has its own ingest slot)."""
    seed_registry(db)
    other = Database(settings)
    errors: list[BaseException] = []

    def send(where: Database, prefix: str) -> None:
        try:
            for n in range(12):
                ev = Events(f"{prefix}{n}")
                ingest_raw(where, [ev.produced(pack(100 * (prefix == "b") + n))])
        except BaseException as exc:
            errors.append(exc)

    try:
        threads = [threading.Thread(target=send, args=(d, p)) for d, p in ((db, "a"), (other, "b"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        other.close()
    assert not errors
    report = ledger_upgrade.audit_log(db)
    assert report.valid and report.size == 24, report.problems


def test_an_older_store_is_upgraded_once_and_says_so(client: TestClient, db: Database) -> None:
    seed_registry(db)
    ev = Events("old")
    for n in (1, 2):
        assert client.post("/v1/events", json={"events": first_life(ev, pack(n), vin(n))}).status_code == 200
    stored_events = db.read("log.log_state")[0]["size"]
    # The store as the previous release left it: no log, chains over payload hashes only.
    with db.driver.session() as session:
        session.run("MATCH (n) WHERE n:Log OR n:LogTile DETACH DELETE n").consume()
        session.run("MATCH (e:Event) REMOVE e.log_index").consume()
        for code in (pack(1), pack(2)):
            rows = db.read("integrity.battery_chain", code=code)
            previous = None
            for r in rows:
                previous = verifier.chain_link(previous, r["content_hash"])
                session.run(
                    "MATCH (:Event {event_id: $id})-[a:ABOUT]->(b:Battery {code: $code}) "
                    "SET a.chain = $chain, b.chain_head = $chain",
                    id=r["event_id"], code=code, chain=previous,
                ).consume()  # fmt: skip
    refused = client.get(f"/v1/batteries/{pack(1)}/verify")
    assert refused.status_code == 409 and "batterytrace ledger upgrade" in refused.text
    capture = client.post("/v1/events", json={"events": [Events("new").produced(pack(3))]})
    assert capture.status_code == 409 and "batterytrace ledger upgrade" in capture.text

    report = ledger_upgrade.upgrade(db)
    assert (report.rehashed_batteries, report.logged_events) == (2, stored_events)
    assert "checkpoints taken before this no longer verify" in report.said()
    assert ledger_upgrade.upgrade(db).said().startswith("ledger already current")
    for code in (pack(1), pack(2)):
        assert client.get(f"/v1/batteries/{code}/verify").json()["valid"] is True
    assert ledger_upgrade.audit_log(db).valid
    assert client.post("/v1/events", json={"events": [Events("new").produced(pack(3))]}).status_code == 200
    assert client.get("/v1/log/head").json()["tree_size"] == stored_events + 1


def _flip_first_leaf(tile: bytes) -> bytes:
    return bytes([tile[0] ^ 1]) + tile[1:]


@pytest.mark.parametrize(
    ("edit", "change"),
    [
        ("MATCH (l:Log) SET l.root = $value", lambda root, _: "00" + root[2:]),
        ("MATCH (t:LogTile {id: '0/0'}) SET t.hashes = $value", lambda _, tile: _flip_first_leaf(tile)),
        ("MATCH (t:LogTile {id: '0/0'}) SET t.hashes = $value", lambda _, tile: tile[:64]),
    ],
    ids=["root", "leaf", "truncated"],
)
def test_the_platform_refuses_to_sign_over_a_damaged_log(
    client: TestClient, db: Database, edit: str, change: Callable[[str, bytes], Any]
) -> None:
    seed_registry(db)
    assert client.post("/v1/events", json={"events": first_life(Events("dm"), pack(1), vin(1))}).status_code == 200
    assert client.get("/v1/log/head").status_code == 200
    with db.driver.session() as session:
        row = session.run("MATCH (l:Log), (t:LogTile {id: '0/0'}) RETURN l.root AS root, t.hashes AS tile").single()
        assert row is not None
        session.run(edit, value=change(row["root"], bytes(row["tile"]))).consume()
    refused = client.get("/v1/log/head")
    assert refused.status_code == 409 and "ledger audit" in refused.text, refused.text
