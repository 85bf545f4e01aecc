"""The investigator's dossier against the real Neo4j: the PDF states the code, the decoded maker,
every event with its reporter's (Chinese) name, a correction, the findings and the chain head; its
pages render (the journey's timeline drawn); its attached proof bundle verifies offline; and it is
read only by the keys that may read the battery's trace, a reporter's without other companies' findings."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from app.config import Settings
from app.db import Database
from app.main import create_app
from app.security import issue_key
from tests.factories import (
    AUTOMAKER,
    MAKER,
    RECYCLER,
    REPAIRER,
    WORKSHOP,
    Events,
    day,
    first_life,
    pack,
    seed_registry,
    vin,
)

ROOT = Path(__file__).resolve().parents[2]
CODE, VIN = pack(1), vin(1)
CHINESE = {
    MAKER: "宁德华夏电池有限公司",
    AUTOMAKER: "上海莲花汽车股份有限公司",
    REPAIRER: "快修新能源维修服务部",
    WORKSHOP: "后巷电池回收作坊",
}
HOLDER_BLUE, VEHICLE_GREEN, TRANSIT_ORANGE = (52, 101, 164), (56, 142, 60), (230, 145, 56)


def _register_chinese_names(client: TestClient) -> None:
    """The registry's companies under Chinese names, as the demo world has them."""
    items = client.get("/v1/companies", params={"limit": 100}).json()["items"]
    changed = [{**c, "name": CHINESE.get(c["uscc"], c["name"]), "history": None} for c in items]
    for c in changed:
        c.pop("history")
    res = client.put("/v1/registry/companies", json={"companies": changed})
    assert res.status_code == 200, res.text


@pytest.fixture
def world(client: TestClient, db: Database) -> dict[str, Any]:
    """A pack's first life, a repair shop's removal, a report it corrected, and a shipment to a
    workshop never received: the stored findings name the battery and a company other than its maker."""
    seed_registry(db)
    _register_chinese_names(client)
    ev = Events("dossier")
    events = first_life(ev, CODE, VIN)
    events.append(ev.removed(CODE, VIN, day(40), REPAIRER, "repair"))
    wrong = ev.repaired(CODE, day(41))
    events += [wrong, ev.correction(wrong["event_id"], day(42), REPAIRER)]
    events.append(ev.shipped(CODE, WORKSHOP, day(45), REPAIRER))
    res = client.post("/v1/events", json={"events": events})
    assert res.status_code == 200, res.text
    assert client.post("/v1/findings/sweep", params={"as_of": day(200).isoformat()}).status_code == 200
    found = client.get("/v1/findings", params={"battery": CODE}).json()["items"]
    assert found and all(f["company"] != MAKER for f in found), found  # the premise of the reporter test
    trace = client.get(f"/v1/batteries/{CODE}/trace").json()
    return {"corrected": wrong["event_id"], "findings": found, "trace": trace}


def _pdf(client: TestClient, key: str | None = None, code: str = CODE) -> bytes:
    res = client.get(f"/v1/batteries/{code}/dossier.pdf", headers={"X-API-Key": key} if key else {})
    assert res.status_code == 200, res.text
    assert res.headers["content-type"] == "application/pdf"
    assert res.content.startswith(b"%PDF-")
    return res.content


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "dossier.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_the_dossier_states_identity_events_reporters_corrections_findings_and_chain_head(
    client: TestClient, world: dict[str, Any], tmp_path: Path
) -> None:
    text = _text(_pdf(client), tmp_path)
    flat = "".join(text.split())  # long values may wrap; the words must all be there
    assert CODE in text
    assert "maker code" in text and "CAT" in text
    assert CHINESE[MAKER] in text  # the decoded maker's registered company, and the producer
    events = world["trace"]["events"]
    assert len(events) >= 9
    for e in events:
        assert e["event_id"] in text, e["event_id"]
    for uscc in (MAKER, AUTOMAKER, REPAIRER):
        assert CHINESE[uscc] in text and uscc in text
    assert CHINESE[WORKSHOP] in text  # the addressee, named in the shipment and the custody graph
    assert f"{world['corrected']} · repaired · CORRECTED" in text
    assert "corrected by" in text
    for e in events:
        for w in e["warnings"]:
            assert w["code"] in text
    for f in world["findings"]:
        assert f["id"] in flat and f["rule"] in text
    head = client.get(f"/v1/batteries/{CODE}/verify").json()
    assert head["valid"] is True and head["head"] in text
    produced = next(e for e in events if e["type"] == "produced")
    assert produced["recorded_at"] != produced["occurred_at"]
    assert "recorded" in text and "occurred" in text


def test_the_pages_render_with_the_timeline_drawn(client: TestClient, world: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "dossier.pdf"
    path.write_bytes(_pdf(client))
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 4
    subprocess.run(["pdftoppm", "-r", "72", "-png", str(path), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == pages
    for image in images:  # every page has ink
        with Image.open(image) as im:
            extrema = im.convert("L").getextrema()
            assert isinstance(extrema, tuple) and extrema[0] < 128
    journey = next(i for i in images if int(i.stem.split("-")[-1]) == 2)  # section 2 starts page 2
    with Image.open(journey) as im:
        rgb = im.convert("RGB")
        top = rgb.crop((0, 0, rgb.width, rgb.height // 2))  # the timeline heads the journey's page
        raw = top.tobytes()
        colours = [(raw[i], raw[i + 1], raw[i + 2]) for i in range(0, len(raw), 3)]

    def near(c: tuple[int, int, int], want: tuple[int, int, int]) -> bool:
        return all(abs(a - b) <= 12 for a, b in zip(c, want, strict=True))

    # the stays are short beside the shipment still open today: thin bars, but bars of each kind
    assert sum(near(c, HOLDER_BLUE) for c in colours) > 30, "custody bars drawn"
    assert sum(near(c, VEHICLE_GREEN) for c in colours) > 30, "the vehicle's bar drawn"
    assert sum(near(c, TRANSIT_ORANGE) for c in colours) > 1000, "the open shipment's bar drawn"


def test_the_attached_proof_bundle_verifies_offline(client: TestClient, world: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "dossier.pdf"
    path.write_bytes(_pdf(client))
    listed = subprocess.run(["pdfdetach", "-list", str(path)], check=True, capture_output=True, text=True).stdout
    assert f"{CODE}-proof.json" in listed
    bundle = tmp_path / "bundle.json"
    subprocess.run(["pdfdetach", "-savefile", f"{CODE}-proof.json", "-o", str(bundle), str(path)], check=True)
    assert json.loads(bundle.read_text())["battery"] == CODE
    key = tmp_path / "log-key.pem"
    key.write_text(client.get("/v1/log/public-key").json()["public_key_pem"])
    verifier = ROOT / "app" / "ledger" / "verifier.py"
    done = subprocess.run(
        [sys.executable, str(verifier), "--key", str(key), "bundle", str(bundle)], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.startswith("valid:"), done.stdout + done.stderr
    data = json.loads(bundle.read_text())
    data["events"][0]["payload"]["battery"] = pack(9)  # one changed byte of the evidence
    bundle.write_text(json.dumps(data))
    done = subprocess.run(
        [sys.executable, str(verifier), "--key", str(key), "bundle", str(bundle)], capture_output=True, text=True
    )
    assert done.returncode == 1 and done.stdout.startswith("invalid:")


def test_only_keys_that_may_read_the_trace_get_the_dossier(
    app_client: TestClient,
    client: TestClient,
    db: Database,
    world: dict[str, Any],
    key_for: Callable[..., str],
    tmp_path: Path,
) -> None:
    url = f"/v1/batteries/{CODE}/dossier.pdf"
    app_client.headers.pop("X-API-Key")  # the world was built with the admin's key on this same client
    stranger = key_for("reporter", RECYCLER)  # a company that never held nor reported on the pack
    assert app_client.get(url, headers={"X-API-Key": stranger}).status_code == 403
    elsewhere = issue_key(db, "regulator", "Xinjiang only", provinces=["650000"]).key
    hidden = app_client.get(url, headers={"X-API-Key": elsewhere})
    unknown = app_client.get(f"/v1/batteries/{pack(99)}/dossier.pdf", headers={"X-API-Key": elsewhere})
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json()["detail"] == unknown.json()["detail"].replace(pack(99), CODE)  # an unknown one's words
    assert app_client.get(url, headers={"X-API-Key": key_for("analyst")}).status_code == 403
    assert app_client.get(url).status_code == 401
    # The maker held the pack: it gets the dossier, but not the findings against the repair shop.
    maker = _text(_pdf(app_client, key_for("reporter", MAKER)), tmp_path)
    assert CODE in maker and f"only findings naming {MAKER}" in maker
    for f in world["findings"]:
        assert f["id"] not in "".join(maker.split())
    investigator = _text(_pdf(app_client, key_for("investigator")), tmp_path)
    assert all(f["id"] in "".join(investigator.split()) for f in world["findings"])


def test_a_missing_font_is_a_503_naming_the_setting(db: Database, settings: Settings, world: dict[str, Any]) -> None:
    broken = settings.model_copy(update={"dossier_font_file": Path("/nonexistent/fonts/cjk.ttf")})
    with TestClient(create_app(broken)) as other:
        res = other.get(f"/v1/batteries/{CODE}/dossier.pdf", headers={"X-API-Key": issue_key(db, "admin", "t").key})
    assert res.status_code == 503
    assert "DOSSIER_FONT_FILE" in res.json()["detail"] and "/nonexistent/fonts/cjk.ttf" in res.json()["detail"]
