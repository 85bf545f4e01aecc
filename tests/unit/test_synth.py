"""The synthetic world generator: determinism, valid identifiers, the event contract, a
consistent custody history and roughly realistic proportions. No database needed."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.identifiers import IdentifierError, parse_battery_code, parse_uscc, parse_vin
from loaders.synth import FILES, SynthConfig, generate_world

N = 2000
SEED = 7

REQUIRED: dict[str, set[str]] = {
    "produced": {"battery", "chemistry", "mass_kg", "components"},
    "shipped": {"battery", "to"},
    "received": {"battery", "from"},
    "installed": {"battery", "vehicle"},
    "vehicle_sold": {"vehicle"},
    "swapped": {"vehicle", "station", "battery_out", "battery_in"},
    "removed": {"battery", "vehicle", "reason"},
    "repaired": {"battery"},
    "vehicle_scrapped": {"vehicle"},
    "vehicle_exported": {"vehicle", "destination"},
    "health_measured": {"battery", "soh_pct", "capacity_kwh", "cycle_count", "method"},
    "repurposed": {"battery", "application"},
    "recycled": {"battery", "input_mass_kg", "recovered"},
    "correction": {"corrects", "reason"},
}
OPTIONAL: dict[str, set[str]] = {
    "produced": {"capacity_kwh"},
    "repurposed": {"new_code", "soh_pct", "residual_capacity_kwh"},
    "health_measured": {"internal_resistance_mohm"},
    "correction": {"corrective_event_ids"},
}
COMMON = {"event_id", "type", "occurred_at", "reporter", "province"}
EVENT_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$")


def _read(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


class World:
    """The files of one generated world, loaded for assertions."""

    def __init__(self, out: Path, manifest: dict[str, Any]) -> None:
        self.out = out
        self.manifest = manifest
        self.companies = {c["uscc"]: c for c in _read(out / "companies.jsonl")}
        self.stations = {s["id"]: s for s in _read(out / "stations.jsonl")}
        self.vehicles = {v["vin"]: v for v in _read(out / "vehicles.jsonl")}
        self.events = _read(out / "events.jsonl")

    def effective(self) -> list[dict[str, Any]]:
        """Events with corrections applied: voided ones dropped, in time order."""
        voided = {e["corrects"] for e in self.events if e["type"] == "correction"}
        kept = [e for e in self.events if e["type"] != "correction"]
        kept = [e for e in kept if e["event_id"] not in voided]
        return sorted(kept, key=lambda e: e["occurred_at"])

    def codes(self) -> Iterator[str]:
        for e in self.events:
            for key in ("battery", "battery_in", "battery_out", "new_code"):
                if key in e:
                    yield e[key]
            yield from e.get("components", [])

    def licensed(self, uscc: str, scope: str, day: str) -> bool:
        return any(
            lic["scope"] == scope and lic["valid_from"] <= day and (lic["valid_to"] is None or day < lic["valid_to"])
            for lic in self.companies[uscc]["licences"]
        )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    out = tmp_path_factory.mktemp("world")
    return World(out, generate_world(out, N, SEED, plant_leakage=False))  # the base world's invariants


def test_same_seed_gives_identical_files_and_another_seed_does_not(world: World, tmp_path: Path) -> None:
    generate_world(tmp_path / "again", N, SEED, plant_leakage=False)
    generate_world(tmp_path / "other", N, SEED + 1, plant_leakage=False)
    for name in FILES:
        original = (world.out / name).read_bytes()
        assert (tmp_path / "again" / name).read_bytes() == original, name
    assert (tmp_path / "other" / "events.jsonl").read_bytes() != (world.out / "events.jsonl").read_bytes()
    again = json.loads((tmp_path / "again" / "manifest.json").read_text())
    assert again["events_by_type"] == world.manifest["events_by_type"]


def test_every_identifier_is_valid(world: World) -> None:
    for uscc in world.companies:
        parse_uscc(uscc)
    for vin, vehicle in world.vehicles.items():
        parse_vin(vin)
        parse_uscc(vehicle["maker"])
    codes = set(world.codes())
    assert len(codes) > N
    for code in sorted(codes):
        try:
            parse_battery_code(code)
        except IdentifierError as exc:  # pragma: no cover - the message is the point
            pytest.fail(f"{code}: {exc}")
    makers = {c["maker_code"] for c in world.companies.values() if c["maker_code"]}
    assert all(code[:3] in makers for code in codes)


def test_registries_have_the_promised_shape(world: World) -> None:
    roles = Counter(role for c in world.companies.values() for role in c["roles"])
    for role in (
        "battery_maker",
        "automaker",
        "swap_operator",
        "repairer",
        "service_point",
        "dismantler",
        "second_life",
        "recycler",
    ):
        assert roles[role] >= 1, role
    batches = set()
    for company in world.companies.values():
        assert re.fullmatch(r"\d{2}0000", company["province"])
        assert company["uscc"][2:8] == company["province"]
        if "battery_maker" in company["roles"]:
            assert re.fullmatch(r"[A-Z0-9]{3}", company["maker_code"])
        for lic in company["licences"]:
            assert lic["scope"] in ("dismantling", "second_life", "recycling")
            assert lic["valid_to"] is None or lic["valid_to"] > lic["valid_from"]
            if lic["batch"] is not None:
                batches.add(lic["batch"])
    assert batches == {1, 2, 3, 4, 5}
    workshops = [
        c for c in world.companies.values() if not c["licences"] and {"recycler", "second_life"} & set(c["roles"])
    ]
    assert workshops, "unlicensed workshops are part of the world"
    for station in world.stations.values():
        assert re.fullmatch(r"ST\d+", station["id"])
        assert "swap_operator" in world.companies[station["operator"]]["roles"]
        assert -90 <= station["lat"] <= 90 and -180 <= station["lon"] <= 180
    for vehicle in world.vehicles.values():
        assert "automaker" in world.companies[vehicle["maker"]]["roles"]
        assert vehicle["category"] in SynthConfig().categories


def test_every_event_follows_the_v1_contract(world: World) -> None:
    ids = [e["event_id"] for e in world.events]
    assert len(ids) == len(set(ids))
    known = set(ids)
    as_of = world.manifest["as_of"]
    for e in world.events:
        assert EVENT_ID.match(e["event_id"])
        assert RFC3339.match(e["occurred_at"])
        datetime.fromisoformat(e["occurred_at"])
        assert e["occurred_at"][:10] < as_of
        assert RFC3339.match(e["recorded_at"])  # an imported history: when the platform got it
        assert datetime.fromisoformat(e["recorded_at"]) >= datetime.fromisoformat(e["occurred_at"]), e
        fields = set(e) - COMMON - {"recorded_at"}
        kind = e["type"]
        assert REQUIRED[kind] <= fields, e
        assert fields <= REQUIRED[kind] | OPTIONAL.get(kind, set()), e
        assert None not in e.values(), e
        if kind == "produced" and e["battery"][3] == "P":
            assert e["capacity_kwh"] > 0 and e["mass_kg"] > 0
            assert e["chemistry"] in ("LFP", "ternary")
        if kind == "removed":
            assert e["reason"] in ("repair", "replacement", "scrapping", "other")
        if kind == "correction":
            assert e["reason"] in ("incorrect_data", "did_not_occur")
            assert e["corrects"] in known
            assert all(i in known for i in e.get("corrective_event_ids", []))
    assert Counter(e["type"] for e in world.events) == world.manifest["events_by_type"]
    assert world.manifest["counts"]["events.jsonl"] == len(world.events)


def test_references_point_into_the_registries(world: World) -> None:
    produced = {e["battery"] for e in world.events if e["type"] == "produced"}
    produced |= {e["new_code"] for e in world.events if e["type"] == "repurposed"}
    for e in world.events:
        assert e["reporter"] in world.companies
        for key in ("to", "from"):
            if key in e:
                assert e[key] in world.companies
        if "vehicle" in e:
            assert e["vehicle"] in world.vehicles
        if "station" in e:
            assert world.stations[e["station"]]["operator"] == e["reporter"]
        for key in ("battery", "battery_in", "battery_out"):
            if key in e:
                assert e[key] in produced, e
        if e["type"] in ("installed", "vehicle_sold") and e["reporter"] != (world.vehicles[e["vehicle"]]["maker"]):
            assert "repairer" in world.companies[e["reporter"]]["roles"]
    assert len(world.vehicles) == world.manifest["counts"]["vehicles.jsonl"]


def test_exactly_n_packs_and_modules_inside_them(world: World) -> None:
    produced = {e["battery"]: e for e in world.effective() if e["type"] == "produced"}
    packs = [e for code, e in produced.items() if code[3] == "P"]
    assert len(packs) == N == world.manifest["world"]["packs"]
    for pack in packs:
        for module in pack["components"]:
            assert module[3] == "M" and module[:3] == pack["battery"][:3]
            assert produced[module]["occurred_at"] < pack["occurred_at"]
    with_modules = sum(1 for p in packs if p["components"])
    assert 0.05 < with_modules / N < 0.15


def test_proportions_are_roughly_realistic(world: World) -> None:
    vehicles = list(world.vehicles.values())
    swap_share = sum(v["swap_capable"] for v in vehicles) / len(vehicles)
    assert 0.015 < swap_share < 0.05

    packs = [e for e in world.effective() if e["type"] == "produced" and e["battery"][3] == "P"]
    recent = [p for p in packs if p["occurred_at"] >= "2024"]
    lfp = sum(p["chemistry"] == "LFP" for p in recent) / len(recent)
    assert 0.58 < lfp < 0.78
    early = [p for p in packs if "2017" <= p["occurred_at"] < "2021"]
    assert sum(p["chemistry"] == "ternary" for p in early) > len(early) / 2

    # Ordinary vehicles exported new, never sold in China (export_share 0.10 of them).
    events = world.effective()
    exported = {e["vehicle"]: e["destination"] for e in events if e["type"] == "vehicle_exported"}
    sold = {e["vehicle"] for e in events if e["type"] == "vehicle_sold"}
    ordinary = [v for v in vehicles if not v["swap_capable"]]
    assert not set(exported) & sold
    assert 0.06 < len(exported) / len(ordinary) < 0.14
    assert all(len(c) == 2 and c.isupper() and c != "CN" for c in exported.values())

    # Packs removed at scrapping: the first shipment from the dismantler goes to an
    # unlicensed workshop at about leak_share (0.45).
    scrapped = {e["battery"]: e["reporter"] for e in events if e.get("reason") == "scrapping"}
    first_hop: dict[str, str] = {}
    for e in events:
        if e["type"] == "shipped" and scrapped.get(e["battery"]) == e["reporter"]:
            first_hop.setdefault(e["battery"], e["to"])
    assert len(first_hop) >= 40
    leaked = sum(
        1
        for to in first_hop.values()
        if not world.companies[to]["licences"] and "service_point" not in world.companies[to]["roles"]
    )
    assert 0.25 < leaked / len(first_hop) < 0.65


def test_a_battery_is_never_in_two_vehicles_at_once(world: World) -> None:
    where: dict[str, str] = {}  # battery -> vehicle
    holds: dict[str, str] = {}  # vehicle -> battery
    for e in world.effective():
        kind = e["type"]
        if kind == "installed":
            assert e["battery"] not in where, e
            assert e["vehicle"] not in holds, e
            where[e["battery"]] = e["vehicle"]
            holds[e["vehicle"]] = e["battery"]
        elif kind == "removed":
            assert where.pop(e["battery"]) == e["vehicle"], e
            del holds[e["vehicle"]]
        elif kind == "swapped":
            assert holds[e["vehicle"]] == e["battery_out"], e
            assert e["battery_in"] not in where, e
            del where[e["battery_out"]]
            where[e["battery_in"]] = e["vehicle"]
            holds[e["vehicle"]] = e["battery_in"]
        elif kind in ("shipped", "recycled", "repurposed"):
            assert e["battery"] not in where, e
        elif kind == "vehicle_scrapped":
            swap = world.vehicles[e["vehicle"]]["swap_capable"]
            # Art. 21: an ordinary car is scrapped with its pack, a swap car without.
            assert (e["vehicle"] in holds) != swap, e


def test_custody_moves_are_paired_and_recipients_licensed(world: World) -> None:
    events = world.effective()
    # In time order, a receipt meets the latest shipment before it (the planted ring ships one
    # pack from A to B on every lap).
    shipped: dict[tuple[str, str, str], str] = {}
    removers: dict[str, str] = {}
    for e in events:
        if e["type"] == "shipped":
            shipped[(e["battery"], e["reporter"], e["to"])] = e["occurred_at"]
        if e["type"] == "removed":
            removers[e["battery"]] = e["reporter"]
        if e["type"] == "received":
            sent = shipped[(e["battery"], e["from"], e["reporter"])]
            gap = datetime.fromisoformat(e["occurred_at"]) - datetime.fromisoformat(sent)
            # synthetic event times (data, not the clock): receipts follow shipments within 4 weeks
            assert timedelta(0) < gap < timedelta(days=28), e
        if e["type"] == "shipped" and world.companies[e["to"]]["licences"]:
            day = e["occurred_at"][:10]
            assert world.licensed(e["to"], "second_life", day) or world.licensed(e["to"], "recycling", day), e
        if e["type"] == "recycled":
            assert world.licensed(e["reporter"], "recycling", e["occurred_at"][:10]), e
        if e["type"] == "vehicle_scrapped":
            assert world.licensed(e["reporter"], "dismantling", e["occurred_at"][:10]), e


def test_recovered_metal_stays_below_the_chemical_content(world: World) -> None:
    events = world.effective()
    chemistry = {e["battery"]: e["chemistry"] for e in events if e["type"] == "produced"}
    for e in events:
        if e["type"] == "repurposed":
            chemistry[e["new_code"]] = chemistry[e["battery"]]
    content = SynthConfig().element_content
    recycled = [e for e in events if e["type"] == "recycled"]
    assert recycled
    for e in recycled:
        limits = content[chemistry[e["battery"]]]
        for element, kg in e["recovered"].items():
            assert 0 <= kg <= e["input_mass_kg"] * limits[element], e
        assert e["recovered"]["li"] > 0


def test_noise_corrections_and_second_life_are_present(world: World) -> None:
    kinds = Counter(e["type"] for e in world.events)
    for kind in REQUIRED:
        assert kinds[kind] > 0, kind
    reasons = {e["reason"] for e in world.events if e["type"] == "correction"}
    assert reasons == {"incorrect_data", "did_not_occur"}
    lengths = {len(e["new_code"]) for e in world.events if e["type"] == "repurposed"}
    assert lengths <= {19, 24} and lengths


def test_overrides_and_small_worlds(tmp_path: Path) -> None:
    manifest = generate_world(tmp_path / "w", 150, 3, leak_share=0.0, component_share=0.0, correction_share=0.0)
    assert manifest["world"]["packs"] == 150
    assert manifest["world"]["modules"] == 0
    assert manifest["world"]["shipments_to_unlicensed_workshops"] == 0
    assert "correction" not in manifest["events_by_type"]
    assert manifest["parameters"]["leak_share"] == 0.0
    with pytest.raises(TypeError):
        generate_world(tmp_path / "bad", 10, 1, no_such_parameter=1)


def test_planting_hook_can_edit_units_and_label_them(tmp_path: Path) -> None:
    from loaders.synth import Lifecycle
    from loaders.synth import World as SynthWorld

    def drop_workshop_receipts(life: Lifecycle, world: SynthWorld) -> None:
        workshops = {c.uscc for c in world.registry.workshops}
        dropped = [e for e in life.events if e.type == "received" and e.reporter in workshops]
        for event in dropped:
            life.events.remove(event)
            life.labels.append({"pattern": "dark_after_handover", "battery": event.body["battery"]})

    manifest = generate_world(tmp_path, 1500, 4, planter=drop_workshop_receipts)
    labels = _read(tmp_path / "ground_truth.jsonl")
    assert labels and len(labels) == manifest["counts"]["ground_truth.jsonl"]
    planted = manifest["planted"]  # the built-in broker and ring are unlicensed too, but not the hook's
    ours = {planted["broker"]["company"], *planted["broker"]["buyers"], *planted["ring"]["companies"]}
    workshops = {
        c["uscc"]
        for c in _read(tmp_path / "companies.jsonl")
        if not c["licences"] and {"recycler", "second_life"} & set(c["roles"]) and c["uscc"] not in ours
    }
    events = _read(tmp_path / "events.jsonl")
    assert not [e for e in events if e["type"] == "received" and e["reporter"] in workshops]


def test_late_fixes_are_written_apart_and_leave_the_world_as_it_was(tmp_path: Path) -> None:
    rates = {name: min(0.5, rate * 4) for name, rate in SynthConfig().leakage_rates.items()}
    manifest = generate_world(tmp_path / "with", 1500, 21, leakage_rates=rates, late_fix_share=1.0)
    generate_world(tmp_path / "without", 1500, 21, leakage_rates=rates, late_fix_share=0.0)
    for name in (*FILES, "ground_truth.jsonl"):
        assert (tmp_path / "with" / name).read_bytes() == (tmp_path / "without" / name).read_bytes(), name
    assert not (tmp_path / "without" / "late-fixes").exists()
    fixes = _read(tmp_path / "with" / "late-fixes" / "truth.jsonl")
    events = {e["event_id"]: e for e in _read(tmp_path / "with" / "late-fixes" / "events.jsonl")}
    assert manifest["late_fixes"] == {"fixes": len(fixes), "events": len(events)} and fixes
    labels = _read(tmp_path / "with" / "ground_truth.jsonl")
    planted = {(label["rule"], label.get("battery")) for label in labels if label.get("kind") == "leakage"}
    world_ids = {e["event_id"] for e in _read(tmp_path / "with" / "events.jsonl")}
    filed_from = (datetime.fromisoformat(manifest["as_of"]) + timedelta(days=20)).date().isoformat()
    for fix in fixes:
        assert (fix["rule"], fix["battery"]) in planted, fix  # a fix answers a planted case
        for event_id in fix["events"]:
            event = events[event_id]
            assert event["occurred_at"] < manifest["as_of"] <= filed_from <= event["recorded_at"], event
            if event["type"] == "correction":
                assert event["corrects"] in world_ids and set(event["corrective_event_ids"]) <= set(fix["events"])
            else:
                assert fix["battery"] in (event.get("battery"), event.get("new_code")), event


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli"
    args = ["--batteries", "100", "--seed", "5", "--out", str(out), "--as-of", "2025-06-30"]
    assert main(["synth", *args, "--no-progress", "--set", "leak_share=0.3"]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["as_of"] == "2025-06-30"
    assert manifest["parameters"]["leak_share"] == 0.3
    assert manifest["world"]["packs"] == 100
    assert all(e["occurred_at"] < "2025-06-30" for e in _read(out / "events.jsonl"))
    assert "wrote" in capsys.readouterr().err


def test_a_correction_always_follows_the_event_it_corrects(world: World) -> None:
    """In file order, so a loader never sends a correction before its target (batch boundaries)."""
    seen: set[str] = set()
    corrections = 0
    for e in world.events:
        if e["type"] == "correction":
            assert e["corrects"] in seen, e
            corrections += 1
        seen.add(e["event_id"])
    assert corrections > 0


def test_the_manifest_names_the_generator_code(world: World) -> None:
    """Evaluations and the bench reuse a world only when the same generator code made it."""
    from loaders.synth.writer import generator_fingerprint

    assert world.manifest["generator_fingerprint"] == generator_fingerprint()
    assert len(generator_fingerprint()) == 16
