"""Keys only for registered companies with a valid USCC, keys that expire, and demo keys that last.

The command line runs in-process against the suite's server (its settings swapped in), and
what a key may do is asked of the real API."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.cli import main as cli
from app.config import Settings
from app.db import Database
from app.main import create_app
from app.security import issue_key, list_keys, revoke_key
from tests.factories import MAKER, seed_registry, uscc

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run_cli(
    db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Cli:
    """``batterytrace ARGS`` against the test server: (exit status, stdout, stderr)."""
    monkeypatch.setattr("app.cli.common.get_settings", lambda: settings)

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        status = cli(list(argv))
        out, err = capsys.readouterr()
        return status, out, err

    return run


def test_a_reporter_key_for_a_malformed_uscc_is_refused(run_cli: Cli, db: Database) -> None:
    seed_registry(db)
    status, out, err = run_cli("keys", "create", "--role", "reporter", "--company", "NOTAUSCC", "--name", "x")
    assert status == 1 and out == ""
    assert err.strip() == (
        "error: company: 'NOTAUSCC' is not a valid unified social credit code; character 'O' at position 2 is not"
        " allowed in a unified social credit code (GB 32100 uses digits and letters but never I, O, S, V or Z)"
    )
    bad_check = MAKER[:-1] + ("0" if MAKER[-1] != "0" else "1")
    status, _, err = run_cli("keys", "create", "--role", "reporter", "--company", bad_check, "--name", "x")
    assert status == 1 and "error: company:" in err and "position 18 should be" in err
    assert list_keys(db) == []


def test_a_reporter_key_for_an_unregistered_company_is_refused(run_cli: Cli, db: Database) -> None:
    seed_registry(db)
    stranger = uscc(42)
    status, out, err = run_cli("keys", "create", "--role", "reporter", "--company", stranger, "--name", "x")
    assert status == 1 and out == ""
    assert err.strip() == f"error: company: {stranger} is not registered; register the company before issuing it a key"
    assert list_keys(db) == []


def test_a_registered_company_gets_its_key_under_its_normalised_code(
    run_cli: Cli, db: Database, app_client: TestClient
) -> None:
    seed_registry(db)
    status, out, _ = run_cli("keys", "create", "--role", "reporter", "--company", f" {MAKER.lower()} ", "--name", "m")
    issued = json.loads(out)
    assert status == 0 and issued["company"] == MAKER and issued["expires_at"] is None
    # the key is a reporter's: admitted where reporters are, refused where they are not
    res = app_client.get("/v1/leakage/summary", headers={"X-API-Key": issued["key"]})
    assert res.status_code == 403 and "role reporter may not GET /v1/leakage/summary" in res.json()["detail"]
    assert app_client.get("/v1/companies/me/findings", headers={"X-API-Key": issued["key"]}).status_code == 200


def test_expiry_is_stored_listed_and_enforced(
    run_cli: Cli, db: Database, app_client: TestClient, client: TestClient
) -> None:
    status, out, _ = run_cli("keys", "create", "--role", "analyst", "--name", "until 2099", "--expires", "2099-01-01")
    assert status == 0 and json.loads(out)["expires_at"] == "2099-01-01T00:00:00+00:00"
    status, out, _ = run_cli("keys", "create", "--role", "analyst", "--name", "a month", "--days", "30")
    month = datetime.fromisoformat(json.loads(out)["expires_at"])
    assert status == 0 and abs(month - (datetime.now(UTC) + timedelta(days=30))) < timedelta(minutes=1)
    status, out, _ = run_cli("keys", "list")
    listed = {row["name"]: row["expires_at"] for row in map(json.loads, out.splitlines())}
    assert status == 0 and listed["until 2099"] == "2099-01-01T00:00:00Z"
    admin_view = {k["name"]: k["expires_at"] for k in client.get("/v1/admin/keys").json()}
    assert admin_view["until 2099"] == "2099-01-01T00:00:00Z"

    status, _, err = run_cli("keys", "create", "--role", "analyst", "--name", "x", "--expires", "2020-01-01")
    assert status == 1 and err.strip() == "error: expires: 2020-01-01T00:00:00+00:00 is not in the future"

    soon = issue_key(db, "analyst", "brief", expires_at=datetime.now(UTC) + timedelta(seconds=1))
    headers = {"X-API-Key": soon.key}
    assert app_client.get("/v1/companies", headers=headers).status_code == 200
    time.sleep(max(0.0, (soon.expires_at - datetime.now(UTC)).total_seconds()) + 0.05)  # type: ignore[operator]
    res = app_client.get("/v1/companies", headers=headers)
    assert res.status_code == 401
    assert res.json()["detail"] == f"API key {soon.id} expired on {soon.expires_at.isoformat()}"  # type: ignore[union-attr]


def test_keys_demo_twice_keeps_the_same_keys(run_cli: Cli, db: Database, tmp_path: Path) -> None:
    seed_registry(db)
    out = tmp_path / "demo-keys.json"
    assert run_cli("keys", "demo", "--out", str(out))[0] == 0
    first = json.loads(out.read_text())
    count = len(list_keys(db))
    status, printed, _ = run_cli("keys", "demo", "--out", str(out))
    assert status == 0 and printed.count("  reused") == 5 and "  new" not in printed
    assert json.loads(out.read_text()) == first
    assert len(list_keys(db)) == count == 5
    assert sorted(first) == ["admin", "analyst", "investigator", "regulator", "reporter"]


def test_keys_demo_replaces_what_no_longer_works_and_revokes_stale_ones(
    run_cli: Cli, db: Database, tmp_path: Path
) -> None:
    seed_registry(db)
    out = tmp_path / "demo-keys.json"
    stray = issue_key(db, "admin", "demo admin")  # left by an older run that issued new keys each time
    status, printed, _ = run_cli("keys", "demo", "--out", str(out))
    assert status == 0 and f"revoked stale demo keys: {stray.id}\n" in printed
    first = json.loads(out.read_text())
    revoke_key(db, first["analyst"].split("_")[1])
    status, printed, _ = run_cli("keys", "demo", "--out", str(out))
    second = json.loads(out.read_text())
    assert status == 0 and printed.count("  reused") == 4 and "analyst       bt_" in printed
    assert second["analyst"] != first["analyst"]
    assert {r: k for r, k in second.items() if r != "analyst"} == {r: k for r, k in first.items() if r != "analyst"}
    live = [k for k in list_keys(db) if k.revoked_at is None]
    assert sorted(k.name for k in live) == sorted(f"demo {r}" for r in second)
    assert stray.id not in {k.id for k in live}
    out.write_text("not json")
    status, printed, err = run_cli("keys", "demo", "--out", str(out))
    assert status == 0 and "ignoring" in err and printed.count("  new") == 5
    assert len([k for k in list_keys(db) if k.revoked_at is None]) == 5


def test_a_revoked_key_stops_working_everywhere_within_a_second(db: Database, settings: Settings) -> None:
    """Two app instances (two API processes' caches) both refuse a revoked key once the key cache
    (``key_cache_s``, 1 s) has turned over; nothing is cleared by hand."""
    issued = issue_key(db, "investigator", "soon revoked")
    headers = {"X-API-Key": issued.key}
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
        assert one.get("/v1/batteries", headers=headers).status_code == 200
        assert two.get("/v1/batteries", headers=headers).status_code == 200  # both have it cached
        revoke_key(db, issued.id)
        time.sleep(settings.key_cache_s + 0.1)
        for app in (one, two):
            res = app.get("/v1/batteries", headers=headers)
            assert res.status_code == 401 and "revoked" in res.json()["detail"]


def test_regulator_keys_limited_to_provinces_from_the_command_line(
    run_cli: Cli, app_client: TestClient, client: TestClient
) -> None:
    status, out, _ = run_cli(
        "keys", "create", "--role", "regulator", "--provinces", "440000,320000", "--name", "two provinces"
    )
    issued = json.loads(out)
    assert status == 0 and issued["provinces"] == ["320000", "440000"]
    listed = {k["name"]: k["provinces"] for k in client.get("/v1/admin/keys").json()}
    assert listed["two provinces"] == ["320000", "440000"] and listed["test admin"] is None
    refused = app_client.get("/v1/leakage/summary", params={"province": "110000"}, headers={"X-API-Key": issued["key"]})
    assert refused.status_code == 403 and "320000, 440000" in refused.json()["detail"]
    status, _, err = run_cli("keys", "create", "--role", "regulator", "--provinces", "440000,123456", "--name", "x")
    assert status == 1 and err.startswith("error: provinces: 123456 is not a GB/T 2260 province-level code")
    status, _, err = run_cli("keys", "create", "--role", "analyst", "--provinces", "440000", "--name", "x")
    assert status == 1 and "only regulator keys" in err
