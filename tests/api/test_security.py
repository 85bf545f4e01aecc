"""Access control, audit trail, limits: what each role may do, and what is recorded."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from fastapi.testclient import TestClient
from pydantic import SecretStr

from app.config import Settings
from app.db import Database
from app.main import create_app
from app.repositories import security as security_repo
from app.security import issue_key, revoke_key
from tests.factories import AUTOMAKER, MAKER, RECYCLER, STATION_A, Events, day, first_life, pack, seed_registry, vin


def _as(client: TestClient, key: str | None) -> dict[str, str]:
    return {"X-API-Key": key} if key else {}


def _world(client: TestClient, db: Database) -> list[dict[str, Any]]:
    seed_registry(db)
    events = first_life(Events(), pack(1), vin(1))
    assert client.post("/v1/events", json={"events": events}).status_code == 200
    return events


def test_no_key_bad_key_revoked_key_are_401(app_client: TestClient, db: Database) -> None:
    assert app_client.get("/healthz").status_code == 200
    assert app_client.get("/readyz").status_code == 200
    missing = app_client.get(f"/v1/batteries/{pack(1)}")
    assert missing.status_code == 401 and "X-API-Key" in missing.json()["detail"]
    assert app_client.get("/v1/batteries", headers={"X-API-Key": "nonsense"}).status_code == 401
    assert app_client.get("/v1/batteries", headers={"X-API-Key": "bt_abc_def"}).status_code == 401
    issued = issue_key(db, "investigator", "soon revoked")
    assert app_client.get("/v1/batteries", headers=_as(app_client, issued.key)).status_code == 200
    revoke_key(db, issued.id)
    app_client.app.state.keys._cache.clear()  # type: ignore[attr-defined]  # the cache's TTL, shortened
    res = app_client.get("/v1/batteries", headers=_as(app_client, issued.key))
    assert res.status_code == 401 and "revoked" in res.json()["detail"]


def test_roles(client: TestClient, app_client: TestClient, db: Database, key_for: Callable[..., str]) -> None:
    _world(client, db)
    code = pack(1)
    analyst, investigator, regulator = key_for("analyst"), key_for("investigator"), key_for("regulator")
    for key in (investigator, regulator):
        assert app_client.get(f"/v1/batteries/{code}/trace", headers=_as(app_client, key)).status_code == 200
        assert app_client.get(f"/v1/vehicles/{vin(1)}/batteries", headers=_as(app_client, key)).status_code == 200
    denied = app_client.get(f"/v1/batteries/{code}/trace", headers=_as(app_client, analyst))
    assert denied.status_code == 403 and "analyst" in denied.json()["detail"]
    assert app_client.get("/v1/admin/audit", headers=_as(app_client, investigator)).status_code == 403
    events = [Events("inv").repaired(code, day(40), reporter=MAKER)]
    assert (
        app_client.post("/v1/events", headers=_as(app_client, investigator), json={"events": events}).status_code == 403
    )
    registry_write = {"companies": [{"uscc": MAKER, "name": "x", "roles": ["automaker"], "province": "310000"}]}
    assert (
        app_client.put("/v1/registry/companies", headers=_as(app_client, regulator), json=registry_write).status_code
        == 403
    )
    assert app_client.get("/v1/companies", headers=_as(app_client, analyst)).status_code == 200


def test_reporter_speaks_and_reads_only_for_its_company(
    client: TestClient, app_client: TestClient, db: Database, key_for: Callable[..., str]
) -> None:
    _world(client, db)
    maker_key = key_for("reporter", MAKER)
    recycler_key = key_for("reporter", RECYCLER)
    ev = Events("rep")
    own = ev.repaired(pack(1), day(40), reporter=MAKER)
    foreign = ev.repaired(pack(1), day(41), reporter=AUTOMAKER)
    res = app_client.post("/v1/events", headers=_as(app_client, maker_key), json={"events": [own, foreign]})
    assert res.status_code == 403 and "events 1" in res.json()["detail"]
    ok = app_client.post("/v1/events", headers=_as(app_client, maker_key), json={"events": [own]})
    assert ok.status_code == 200
    # The maker held the pack: it may read it; the recycler never did.
    assert app_client.get(f"/v1/batteries/{pack(1)}/trace", headers=_as(app_client, maker_key)).status_code == 200
    other = app_client.get(f"/v1/batteries/{pack(1)}/trace", headers=_as(app_client, recycler_key))
    assert other.status_code == 403 and RECYCLER in other.json()["detail"]
    # The list, for a reporter: its own company's batteries only (the maker's pack; nothing for the recycler).
    mine = app_client.get("/v1/batteries", headers=_as(app_client, maker_key))
    assert mine.status_code == 200 and [b["code"] for b in mine.json()["items"]] == [pack(1)]
    assert app_client.get("/v1/batteries", headers=_as(app_client, recycler_key)).json()["items"] == []
    assert app_client.get(f"/v1/stations/{STATION_A}/swaps", headers=_as(app_client, maker_key)).status_code == 403


def test_audit_trail_records_writes_and_battery_reads(
    client: TestClient, app_client: TestClient, db: Database, key_for: Callable[..., str]
) -> None:
    _world(client, db)
    investigator = key_for("investigator")
    key_id = investigator.split("_")[1]
    assert app_client.get(f"/v1/batteries/{pack(1)}/trace", headers=_as(app_client, investigator)).status_code == 200
    assert app_client.get("/v1/companies", headers=_as(app_client, investigator)).status_code == 200  # not audited
    app_client.app.state.audit.close()  # type: ignore[attr-defined]  # flush queued read entries
    trail = client.get("/v1/admin/audit", params={"key_id": key_id}).json()
    assert [(e["method"], e["path"], e["battery"], e["role"]) for e in trail] == [
        ("GET", f"/v1/batteries/{pack(1)}/trace", pack(1), "investigator")
    ]
    writes = [e for e in client.get("/v1/admin/audit").json() if e["method"] == "POST"]
    assert writes and writes[0]["path"] == "/v1/events" and writes[0]["status"] == 200
    assert all(len(e["hash"]) == 64 for e in trail + writes)


def test_rate_limit_answers_429_with_retry_after(db: Database, settings: Settings) -> None:
    limited = settings.model_copy(update={"rate_limit_per_minute": 60, "rate_limit_burst": 3})
    key = issue_key(db, "investigator", "hasty").key
    with TestClient(create_app(limited)) as c:
        codes = [c.get("/v1/batteries", headers={"X-API-Key": key}).status_code for _ in range(5)]
        assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
        res = c.get("/v1/batteries", headers={"X-API-Key": key})
        assert int(res.headers["Retry-After"]) >= 1


def test_body_and_batch_and_page_limits(client: TestClient, db: Database, settings: Settings) -> None:
    seed_registry(db)
    one = Events("lim").produced(pack(1))
    too_many = [dict(one, event_id=f"lim-{i}") for i in range(10_001)]
    res = client.post("/v1/events", json={"events": too_many})
    assert res.status_code in (413, 422)
    small = settings.model_copy(update={"max_body_bytes": 2048, "neo4j_password": SecretStr(settings.password())})
    key = issue_key(db, "admin", "small bodies").key
    with TestClient(create_app(small)) as c:
        big = c.post("/v1/events", headers={"X-API-Key": key}, json={"events": [one] * 30})
        assert big.status_code == 413
    assert client.get("/v1/batteries", params={"limit": 0}).status_code == 422
    page = client.get("/v1/batteries", params={"limit": 10**6})
    assert page.status_code == 200  # clamped to MAX_PAGE_SIZE


def test_a_uniqueness_conflict_answers_409(db: Database, settings: Settings) -> None:
    """Two keys stored under one id: the server's constraint refuses the second, and the edge says 409."""
    app = create_app(settings)

    def store_key(key_id: str, request: Request) -> dict[str, str]:
        created = security_repo.create_key(
            request.app.state.db,
            key_id=key_id,
            secret_hash="0" * 64,
            role="investigator",
            company=None,
            name="twice",
            created_at=datetime.now(UTC),
        )
        return {"id": created}

    app.add_api_route("/test/keys/{key_id}", store_key, methods=["POST"])
    with TestClient(app) as c:
        assert c.post("/test/keys/feedc0ffee00").json() == {"id": "feedc0ffee00"}
        again = c.post("/test/keys/feedc0ffee00")
    assert again.status_code == 409 and "conflicts with a stored record" in again.json()["detail"]
    assert [k.id for k in security_repo.list_keys(db)].count("feedc0ffee00") == 1
