"""A period of findings (`since_from`, `since_until`) on the leakage routes and the stored cases:
selected before paging, checked (422 naming the field), counted by the summary; and the summary's
provincial denominators (packs with an event in the province), against the real Neo4j."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.db import Database
from app.security import issue_key
from tests.api.test_leakage import AS_OF, e_bikes
from tests.factories import day, pack

# e_bikes(n): pack i repurposed for an e-bike on day(10 + i): one prohibited_use finding each.
FROM, UNTIL = day(12), day(14)


def period(**extra: Any) -> dict[str, Any]:
    return {"as_of": AS_OF.isoformat(), "since_from": FROM.isoformat(), "since_until": UNTIL.isoformat(), **extra}


def test_a_period_selects_findings_before_the_page(client: TestClient, db: Database) -> None:
    e_bikes(client, db, 5)
    first = client.get("/v1/leakage/prohibited_use", params=period(limit=2)).json()
    assert [f["battery"] for f in first["items"]] == [pack(2), pack(3)] and first["next_skip"] == 2
    second = client.get("/v1/leakage/prohibited_use", params=period(limit=2, skip=2)).json()
    assert [f["battery"] for f in second["items"]] == [pack(4)] and second["next_skip"] is None
    assert second["parameters"]["since_from"] == FROM.isoformat()
    # One bound alone: from day 14 on, and up to day 12.
    as_of = AS_OF.isoformat()
    late = client.get("/v1/leakage/prohibited_use", params={"as_of": as_of, "since_from": UNTIL.isoformat()})
    assert [f["battery"] for f in late.json()["items"]] == [pack(4), pack(5)]
    early = client.get("/v1/leakage/prohibited_use", params={"as_of": as_of, "since_until": FROM.isoformat()})
    assert [f["battery"] for f in early.json()["items"]] == [pack(1), pack(2)]


def test_a_period_narrows_the_export_and_the_summary(client: TestClient, db: Database) -> None:
    e_bikes(client, db, 5)
    res = client.get("/v1/leakage/prohibited_use/export", params=period(format="csv"))
    assert res.status_code == 200
    assert [r["battery"] for r in csv.DictReader(io.StringIO(res.text))] == [pack(2), pack(3), pack(4)]
    whole = client.get("/v1/leakage/summary", params={"as_of": AS_OF.isoformat()}).json()
    part = client.get("/v1/leakage/summary", params=period()).json()
    count = {r["rule"]: r["count"] for r in part["by_rule"]}
    assert count["prohibited_use"] == 3
    assert {r["rule"]: r["count"] for r in whole["by_rule"]}["prohibited_use"] == 5
    assert sum(p["count"] for p in part["by_province"] if p["rule"] == "prohibited_use") == 3


def test_the_summary_states_each_provinces_packs(client: TestClient, db: Database) -> None:
    e_bikes(client, db, 4)
    body = client.get("/v1/leakage/summary", params={"as_of": AS_OF.isoformat()}).json()
    # Every pack was produced by the maker (320000) and repurposed by the second-life firm
    # (320000 too): four packs there, none elsewhere.
    denominators = {p["province"]: p for p in body["provinces"]}
    assert denominators["320000"]["packs"] == 4 and denominators["320000"]["handled"] >= 4
    row = next(p for p in body["by_province"] if p["province"] == "320000" and p["rule"] == "prohibited_use")
    assert row["packs"] == 4 and row["per_thousand_packs"] == 1000.0


def test_a_bad_period_is_422_naming_the_field(client: TestClient, db: Database) -> None:
    e_bikes(client, db, 1)
    for path in ("/v1/leakage/prohibited_use", "/v1/leakage/prohibited_use/export", "/v1/leakage/summary"):
        naive = client.get(path, params={"since_from": "2025-01-01T00:00:00"})
        assert naive.status_code == 422, (path, naive.text)
        assert [e["field"] for e in naive.json()["errors"]] == ["since_from"]
        assert "offset" in naive.json()["errors"][0]["reason"]
        reversed_ = client.get(path, params=period(since_from=UNTIL.isoformat(), since_until=FROM.isoformat()))
        assert reversed_.status_code == 422, path
        assert [e["field"] for e in reversed_.json()["errors"]] == ["since_until"]
        garbled = client.get(path, params={"since_until": "soon"})
        assert [e["field"] for e in garbled.json()["errors"]] == ["since_until"]


def stored_cases(client: TestClient, **params: Any) -> list[str]:
    res = client.get("/v1/findings", params={"rule": "prohibited_use", "limit": 1000, **params})
    assert res.status_code == 200, res.text
    return [c["battery"] for c in res.json()["items"]]


def test_the_cases_take_the_same_period(client: TestClient, db: Database) -> None:
    e_bikes(client, db, 5)
    assert client.post("/v1/findings/sweep", params={"as_of": AS_OF.isoformat()}).status_code == 200
    assert stored_cases(client) == [pack(i) for i in range(1, 6)]
    window = {"since_from": FROM.isoformat(), "since_until": UNTIL.isoformat()}
    assert stored_cases(client, **window) == [pack(2), pack(3), pack(4)]
    assert stored_cases(client, **window, limit=2, skip=2) == [pack(4)]
    export = client.get("/v1/findings/export", params={"rule": "prohibited_use", **window})
    assert [r["battery"] for r in csv.DictReader(io.StringIO(export.text))] == [pack(2), pack(3), pack(4)]
    for bad, field in (
        ({"since_from": "2025-01-01T00:00:00"}, "since_from"),
        ({"since_until": "tomorrow"}, "since_until"),
        ({"since_from": UNTIL.isoformat(), "since_until": (UNTIL - timedelta(days=1)).isoformat()}, "since_until"),
    ):
        res = client.get("/v1/findings", params=bad)
        assert res.status_code == 422, res.text
        # The framework names an unparseable one by where it was (query.since_until).
        assert [e["field"].removeprefix("query.") for e in res.json()["errors"]] == [field], res.json()


def test_a_limited_key_sees_only_its_provinces_within_the_period(
    app_client: TestClient, db: Database, key_for: Callable[..., str]
) -> None:
    """A regulator of another province gets nothing of the period; one of the province, its findings."""
    admin = key_for("admin")
    app_client.headers["X-API-Key"] = admin
    e_bikes(app_client, db, 5)
    elsewhere = issue_key(db, "regulator", "Guangdong", None, provinces=["440000"]).key
    here = issue_key(db, "regulator", "Jiangsu", None, provinces=["320000"]).key
    res = app_client.get("/v1/leakage/prohibited_use", params=period(), headers={"X-API-Key": elsewhere})
    assert res.status_code == 200 and res.json()["items"] == []
    res = app_client.get("/v1/leakage/prohibited_use", params=period(), headers={"X-API-Key": here})
    assert [f["battery"] for f in res.json()["items"]] == [pack(2), pack(3), pack(4)]
    asked = app_client.get(
        "/v1/leakage/prohibited_use", params=period(province="320000"), headers={"X-API-Key": elsewhere}
    )
    assert asked.status_code == 403
    summary = app_client.get("/v1/leakage/summary", params=period(), headers={"X-API-Key": elsewhere}).json()
    assert sum(r["count"] for r in summary["by_rule"]) == 0
    assert {p["province"] for p in summary["provinces"]} <= {"440000"}
    assert app_client.get("/v1/leakage/summary", params=period(), headers={"X-API-Key": ""}).status_code == 401
