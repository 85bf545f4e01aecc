"""The public answers (/public/..., no key): content for a battery in each life stage, the white list
of a province, one company's licence, refusals, the per-address rate limit, the audit trail, and that
no private field, company, vehicle or event date of the world appears in any public answer."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.db import Database
from app.main import create_app
from app.schemas.registry import Company
from app.security import issue_key, list_audit
from app.services import registry
from app.services.public import today
from tests.factories import (
    DISMANTLER,
    MAKER,
    RECYCLER,
    REPAIRER,
    SECOND_LIFE,
    WORKSHOP,
    Events,
    day,
    first_life,
    pack,
    seed_registry,
    uscc,
    vin,
)

pytestmark = pytest.mark.neo4j

#: Keys no public answer may hold: who held or reported, vehicles, events and their times, the
#: registry's private columns, the projection's internals.
PRIVATE_KEYS = frozenset(
    {
        "vin",
        "vehicle",
        "vehicles",
        "current_vehicle",
        "custodian",
        "current_custodian",
        "holder",
        "holders",
        "reporter",
        "producer",
        "events",
        "event_id",
        "event_count",
        "occurred_at",
        "recorded_at",
        "status",
        "status_since",
        "since",
        "until",
        "last_event_at",
        "from",
        "to",
        "station",
        "findings",
        "warnings",
        "mass_kg",
        "capacity_kwh",
        "maker_code",
        "imports_for",
        "history",
        "changed_by",
        "key_id",
        "parent",
        "derived_from",
        "second_life_products",
        "components",
    }
)
WIDE = {"public_rate_limit_burst": 10_000}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

INSTALLED, REMOVED, AT_DISMANTLER, SECOND, RECYCLED, AT_WORKSHOP, UNKNOWN = (pack(n) for n in range(1, 8))


def _world(client: TestClient, db: Database) -> list[dict[str, Any]]:
    """Six packs, one per case: in a vehicle, taken out by a repairer, at a licensed dismantler,
    repurposed, recycled, at an unlicensed workshop. The events are returned for the privacy checks."""
    seed_registry(db, vehicles=6)
    ev = Events("pub")
    events: list[dict[str, Any]] = []
    for n, code in enumerate((INSTALLED, REMOVED, AT_DISMANTLER, SECOND, RECYCLED, AT_WORKSHOP), start=1):
        events += first_life(ev, code, vin(n))
        if code != INSTALLED:
            events.append(ev.removed(code, vin(n), day(40), REPAIRER, "replacement"))
    for code, to in ((AT_DISMANTLER, DISMANTLER), (SECOND, SECOND_LIFE), (RECYCLED, RECYCLER), (AT_WORKSHOP, WORKSHOP)):
        events.append(ev.shipped(code, to, day(45), REPAIRER))
        events.append(ev.received(code, REPAIRER, day(47), to))
    events.append(ev.repurposed(SECOND, day(60), "energy_storage"))
    events.append(ev.recycled(RECYCLED, day(70)))
    res = client.post("/v1/events", json={"events": events})
    assert res.status_code == 200, res.text
    return events


@pytest.fixture
def public(db: Database, settings: Settings) -> Iterator[TestClient]:
    """The app with no key sent, and a public limit no test but the limit's own reaches."""
    with TestClient(create_app(settings.model_copy(update=WIDE))) as test_client:
        yield test_client


@pytest.fixture
def world(public: TestClient, db: Database) -> list[dict[str, Any]]:
    admin = issue_key(db, "admin", "public test admin").key
    public.headers["X-API-Key"] = admin
    try:
        return _world(public, db)
    finally:
        del public.headers["X-API-Key"]


def battery(client: TestClient, code: str) -> dict[str, Any]:
    res = client.get(f"/public/batteries/{code}")
    assert res.status_code == 200, res.text
    body: dict[str, Any] = res.json()
    return body


def test_a_battery_in_each_life_stage(public: TestClient, world: list[dict[str, Any]]) -> None:
    seen = {code: battery(public, code) for code in (INSTALLED, REMOVED, AT_DISMANTLER, SECOND, RECYCLED, AT_WORKSHOP)}
    said = {code: (a["stage"], a["last_holder_licensed"], a["advice"]) for code, a in seen.items()}
    assert said == {
        INSTALLED: ("in_use", False, "nothing_to_do"),  # last held by the automaker, which is no recycler
        REMOVED: ("in_use", False, "hand_to_licensed"),  # out of its vehicle, with a repairer
        AT_DISMANTLER: ("in_use", True, "nothing_to_do"),  # out, but with a licensed dismantler
        SECOND: ("second_life", True, "second_life_firm"),
        RECYCLED: ("recycled", True, "nothing_to_do"),
        AT_WORKSHOP: ("in_use", False, "hand_to_licensed"),  # a "recycler" off the white list
    }
    answer = seen[INSTALLED]
    assert answer["valid"] is True and answer["problem"] is None
    decoded = answer["decoded"]
    assert decoded["maker"] == {"code": "CAT", "name": "Cathay Cells"}
    assert (decoded["level"], decoded["chemistry"]["name"], decoded["chemistry"]["zh"]) == ("pack", "LFP", "磷酸铁锂")
    assert (decoded["production_date"], decoded["second_life_code"]) == ("2023-05-17", False)
    assert all(a["advice_words"]["zh"] and a["advice_words"]["en"] for a in seen.values())


def test_a_malformed_code_answers_like_an_unknown_one_after_decoding(
    public: TestClient, world: list[dict[str, Any]]
) -> None:
    unknown = battery(public, UNKNOWN)
    check_char = battery(public, UNKNOWN[:-1] + ("0" if UNKNOWN[-1] != "0" else "1"))
    short = battery(public, UNKNOWN[:20])
    foreign = battery(public, "not a code at all")
    assert unknown["valid"] and unknown["decoded"]["maker"]["code"] == "CAT"
    for malformed in (short, foreign):
        assert malformed["valid"] is False and malformed["decoded"] is None and malformed["problem"]
    after_decoding = ("stage", "last_holder_licensed", "advice", "advice_words")
    answers = [unknown, check_char, short, foreign]
    assert len({tuple(str(a[k]) for k in after_decoding) for a in answers}) == 1
    assert (unknown["stage"], unknown["last_holder_licensed"], unknown["advice"]) == ("unknown", None, "check_code")


def test_the_white_list_of_a_province(public: TestClient, world: list[dict[str, Any]]) -> None:
    res = public.get("/public/recyclers", params={"province": "320000"})
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["province"] == {"code": "320000", "zh": "江苏省", "en": "Jiangsu"}
    assert body["as_of"] == today().isoformat()
    firm = {f["uscc"]: f for f in body["licensed"]}
    assert list(firm) == [SECOND_LIFE]  # the maker is in Jiangsu too, and not listed
    (lic,) = firm[SECOND_LIFE]["licences"]
    assert (lic["scope"]["name"], lic["scope"]["zh"], lic["batch"], lic["valid_to"]) == (
        "second_life",
        "梯次利用",
        2,
        None,
    )
    assert firm[SECOND_LIFE]["roles"][0] == {"name": "second_life", "zh": "梯次利用", "en": "second life"}
    assert body["service_points"] == []
    guangdong = public.get("/public/recyclers", params={"province": "440000"}).json()
    assert guangdong["licensed"] == [] and guangdong["service_points"] == []  # the workshop holds no licence
    assert "No licensed firm" in guangdong["advice"]["en"]


def test_service_points_and_lapsed_licences(public: TestClient, db: Database, world: list[dict[str, Any]]) -> None:
    point, lapsed = uscc(20), uscc(21)
    registry.merge_companies(
        db,
        [
            Company(uscc=point, name="Cathay Service Point (Hunan 1)", roles=["service_point"], province="430000"),
            Company(
                uscc=lapsed,
                name="Old Smelter",
                roles=["recycler"],
                province="430000",
                licences=[{"scope": "recycling", "valid_from": date(2018, 1, 1), "valid_to": date(2021, 12, 31)}],  # type: ignore[list-item]
            ),
        ],
        changed_by="test",
    )
    hunan = public.get("/public/recyclers", params={"province": "430000"}).json()
    assert [f["uscc"] for f in hunan["licensed"]] == [RECYCLER]
    assert [(f["uscc"], f["name"], f["licences"]) for f in hunan["service_points"]] == [
        (point, "Cathay Service Point (Hunan 1)", [])
    ]
    old = public.get(f"/public/companies/{lapsed}/licence").json()
    assert (old["licensed"], old["licences"], old["lapsed_on"]) == (False, [], "2021-12-31")
    served = public.get(f"/public/companies/{point}/licence").json()
    assert (served["licensed"], served["service_point"]) == (False, True)


def test_one_company_s_licence(public: TestClient, world: list[dict[str, Any]]) -> None:
    body = public.get(f"/public/companies/{RECYCLER}/licence").json()
    assert (body["registered"], body["name"], body["licensed"], body["lapsed_on"]) == (True, "Green Metals", True, None)
    assert body["province"]["en"] == "Hunan"
    assert [(lic["scope"]["name"], lic["batch"], lic["valid_from"]) for lic in body["licences"]] == [
        ("recycling", 1, "2018-09-01")
    ]
    workshop = public.get(f"/public/companies/{WORKSHOP}/licence").json()
    assert (workshop["registered"], workshop["licensed"], workshop["licences"]) == (True, False, [])
    assert "not licensed" in workshop["advice"]["en"]
    stranger = public.get(f"/public/companies/{uscc(30)}/licence").json()
    assert (stranger["registered"], stranger["name"], stranger["licensed"]) == (False, None, False)


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/public/recyclers", {}, "province"),
        ("/public/recyclers", {"province": "32"}, "province"),
        ("/public/recyclers", {"province": "320500"}, "province"),  # a prefecture, not a province
        ("/public/recyclers", {"province": "990000"}, "province"),
        (f"/public/companies/{RECYCLER[:-1]}X/licence", {}, "uscc"),
        ("/public/companies/short/licence", {}, "uscc"),
        ("/public/batteries/" + "A" * 65, {}, "code"),
    ],
)
def test_refusals_name_the_field(public: TestClient, path: str, params: dict[str, str], field: str) -> None:
    res = public.get(path, params=params)
    assert res.status_code == 422, res.text
    # FastAPI's own checks name the place too (query.province), the identifier checks the parameter
    assert [e["field"].removeprefix("query.").removeprefix("path.") for e in res.json()["errors"]] == [field]
    assert all(e["reason"] for e in res.json()["errors"])


def test_no_listing_and_no_writes(public: TestClient) -> None:
    assert public.get("/public/batteries").status_code == 404
    assert public.get("/public/companies").status_code == 404
    assert public.post(f"/public/batteries/{UNKNOWN}").status_code == 405
    assert public.get(f"/public/batteries/{UNKNOWN}/trace").status_code == 404


def _walk(value: Any, path: str = "") -> Iterator[tuple[str, str, Any]]:
    """Every (path, key, value) of a JSON answer, and each string leaf with key ''."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield path, key, inner
            yield from _walk(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _walk(inner, f"{path}[{i}]")
    elif isinstance(value, str):
        yield path, "", value


def test_no_private_field_in_any_public_answer(public: TestClient, db: Database, world: list[dict[str, Any]]) -> None:
    companies = {
        r["uscc"]: r["name"] for r in db.read("registry.list_companies", after="", limit=100, role=None, province=None)
    }
    vins = {e["vehicle"] for e in world if e.get("vehicle")}
    moments = {e["occurred_at"] for e in world}
    event_days = {m[:10] for m in moments}
    event_ids = {e["event_id"] for e in world}
    codes = [INSTALLED, REMOVED, AT_DISMANTLER, SECOND, RECYCLED, AT_WORKSHOP, UNKNOWN, UNKNOWN[:20]]
    answers: list[tuple[str, Any]] = [(f"battery {c}", battery(public, c)) for c in codes]
    for province in ("110000", "310000", "320000", "430000", "440000"):
        answers.append((f"recyclers {province}", public.get("/public/recyclers", params={"province": province}).json()))
    for company in companies:
        answers.append((f"licence {company}", public.get(f"/public/companies/{company}/licence").json()))

    for what, answer in answers:
        leaves = list(_walk(answer))
        keys = {key for _, key, _ in leaves if key}
        assert not keys & PRIVATE_KEYS, (what, keys & PRIVATE_KEYS)
        strings = [(path, v) for path, key, v in leaves if not key]
        for path, text in strings:
            assert not any(v in text for v in vins), (what, path, text)
            assert not any(m in text for m in moments | event_ids), (what, path, text)
        if what.startswith("battery"):
            for path, text in strings:
                # a battery's answer names no company but its maker, from the code itself
                named = [u for u, name in companies.items() if name in text or u in text]
                assert named == [] or (path == ".decoded.maker.name" and named == [MAKER]), (what, path, text)
                # and holds no date but the one the code says
                if ISO_DATE.search(text):
                    assert path == ".decoded.production_date" and text not in event_days, (what, path, text)
        else:
            if what.startswith("recyclers"):  # the firms listed; a licence answer names only its own company
                listed = {f["uscc"] for f in answer["licensed"] + answer["service_points"]}
            else:
                listed = {answer["uscc"]}
            for path, text in strings:
                named = {u for u, name in companies.items() if name in text or u in text}
                assert named <= listed, (what, path, text)
                assert not any(c in text for c in codes[:6]), (what, path, text)


def test_the_limit_per_client_address(db: Database, settings: Settings) -> None:
    tight = settings.model_copy(update={"public_rate_limit_per_minute": 30, "public_rate_limit_burst": 3})
    app = create_app(tight)
    with TestClient(app, client=("203.0.113.7", 40000)) as first:
        answers = [first.get(f"/public/batteries/{UNKNOWN}") for _ in range(4)]
        assert [r.status_code for r in answers] == [200, 200, 200, 429]
        refused = answers[-1]
        assert int(refused.headers["Retry-After"]) >= 1
        assert "per minute for this client address" in refused.json()["detail"]
        # a refusal costs a token too: a malformed request is no way around the limit
        assert first.get("/public/recyclers", params={"province": "1"}).status_code == 429
        # another address has its own bucket; one in the same IPv6 /64 shares it. These clients
        # use the first one's running app: entering another would start the app, and its limits, anew.
        other = TestClient(app, client=("203.0.113.8", 40000))
        assert other.get(f"/public/batteries/{UNKNOWN}").status_code == 200
        v6 = TestClient(app, client=("2001:db8:1:2::a", 40000))
        jiangsu = [v6.get("/public/recyclers", params={"province": "320000"}).status_code for _ in range(3)]
        assert jiangsu == [200, 200, 200]
        neighbour = TestClient(app, client=("2001:db8:1:2:ffff::b", 40000))
        assert neighbour.get(f"/public/batteries/{UNKNOWN}").status_code == 429
        next_net = TestClient(app, client=("2001:db8:1:3::a", 40000))
        assert next_net.get(f"/public/batteries/{UNKNOWN}").status_code == 200
        # the keyed routes keep their own limit
        first.headers["X-API-Key"] = issue_key(db, "admin", "limit test").key
        assert first.get("/v1/vocabularies").status_code == 200


def test_every_public_call_is_audited_under_its_address(db: Database, settings: Settings, tmp_path: Path) -> None:
    own = settings.model_copy(
        update={"audit_dir": tmp_path / "audit", "audit_ship_s": 0.05, "public_rate_limit_burst": 2}
    )
    with TestClient(create_app(own), client=("198.51.100.4", 40000)) as client:
        answers = [
            client.get(f"/public/batteries/{UNKNOWN}"),
            client.get("/public/recyclers", params={"province": "99"}),
            client.get(f"/public/companies/{RECYCLER}/licence"),
        ]
        assert [r.status_code for r in answers] == [200, 422, 429]
        audit_ids = {r.headers["X-Audit-Id"] for r in answers}  # each answer names its entry
        deadline = time.monotonic() + 20
        entries: list[Any] = []
        while time.monotonic() < deadline:
            entries = list_audit(db, day(-3650), datetime.now(UTC), "public:198.51.100.4", None, 10)
            if len(entries) >= 3:
                break
            time.sleep(0.05)
    got = sorted((e.path, e.status, e.role, e.battery) for e in entries)
    assert got == [
        (f"/public/batteries/{UNKNOWN}", 200, "public", UNKNOWN),
        (f"/public/companies/{RECYCLER}/licence", 429, "public", None),
        ("/public/recyclers", 422, "public", None),
    ]
    assert {e.key_id for e in entries} == {"public:198.51.100.4"} and {e.company for e in entries} == {None}
    assert {e.id for e in entries} == audit_ids


def test_keys_change_nothing(public: TestClient, db: Database, world: list[dict[str, Any]]) -> None:
    """A public answer is the same with no key, a garbage key, a revoked one or any role's key."""
    plain = battery(public, RECYCLED)
    headers = [{"X-API-Key": "bt_not-a-key"}, {"X-API-Key": issue_key(db, "reporter", "maker", MAKER).key}]
    headers += [{"X-API-Key": issue_key(db, role, role).key} for role in ("investigator", "analyst", "admin")]
    for header in headers:
        res = public.get(f"/public/batteries/{RECYCLED}", headers=header)
        assert res.status_code == 200 and res.json() == plain, (header, res.text)


ODD = [
    "' OR 1=1 //",
    '"}) MATCH (n) DETACH DELETE n //',
    "$code",
    "%00",
    "..%2F..%2Fetc%2Fpasswd",
    "ＣＡＴＰＢ０１",  # full-width look-alikes
    "catpb01trace01d5h0000007",  # lower case: read as upper case
    " CATPB01TRACE01D5H0000007 ",
    "ı" * 24,
    "9" * 64,
]


def test_odd_input_is_answered_never_a_server_error(public: TestClient, world: list[dict[str, Any]]) -> None:
    for text in ODD:
        quoted = quote(text, safe="")
        for path, params in (
            (f"/public/batteries/{quoted}", {}),
            (f"/public/companies/{quoted}/licence", {}),
            ("/public/recyclers", {"province": text}),
        ):
            res = public.get(path, params=params)
            assert res.status_code in (200, 404, 422), (path, params, res.status_code, res.text)
            if path.startswith("/public/batteries/") and res.status_code == 200:
                body = res.json()
                assert body["stage"] == "unknown" and body["advice"] == "check_code", (text, body)
    lower = battery(public, INSTALLED.lower())
    assert (lower["code"], lower["stage"]) == (INSTALLED, "in_use")


def test_names_in_chinese_and_english(public: TestClient, db: Database, world: list[dict[str, Any]]) -> None:
    firm = uscc(22)
    licence = {"scope": "recycling", "valid_from": date(2022, 3, 1), "batch": 4}

    def register(name_en: str) -> int:
        company = Company(
            uscc=firm,
            name="湖南绿色再生资源有限公司",
            name_en=name_en,
            roles=["recycler"],
            province="430000",
            licences=[licence],  # type: ignore[list-item]
        )
        return registry.merge_companies(db, [company], changed_by="test").changed

    register("Hunan Green Recycling")
    hunan = public.get("/public/recyclers", params={"province": "430000"}).json()
    listed = next(f for f in hunan["licensed"] if f["uscc"] == firm)
    assert (listed["name"], listed["name_en"]) == ("湖南绿色再生资源有限公司", "Hunan Green Recycling")
    answer = public.get(f"/public/companies/{firm}/licence").json()
    assert (answer["name"], answer["name_en"], answer["licensed"]) == (
        "湖南绿色再生资源有限公司",
        "Hunan Green Recycling",
        True,
    )
    # a new English name is a change of the record: the registry keeps the old one in its history
    assert register("Hunan Green Resources") == 1
    record = registry.get_company(db, firm, history=True)
    assert record.name_en == "Hunan Green Resources"
    assert [v.name_en for v in record.history or []] == ["Hunan Green Recycling", "Hunan Green Resources"]
    assert public.get(f"/public/companies/{firm}/licence").json()["name_en"] == "Hunan Green Resources"
