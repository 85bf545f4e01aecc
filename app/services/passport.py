"""One battery's passport, assembled from the one replay of its history (``trace.battery_history``).

Nothing here decides a battery's life anew: status, custody, installations, recycling and
derivation come from ``app.lifecycle``'s replay; the attributes the events carry (mass, energy,
chemistry, the recovered metals) are read from the effective events the replay ran over. What no
event or code can tell is listed absent with the reason (``app.services.passport_absent``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from app.db import Database
from app.identifiers import parse_battery_code
from app.identifiers.provinces import PROVINCES
from app.lifecycle import BatteryLifecycle
from app.repositories.trace import TimelineRow
from app.schemas.passport import (
    BatteryPassStatus,
    Circularity,
    GeneralProductInformation,
    Identity,
    LifecycleHistory,
    MaterialComposition,
    Passport,
    PerformanceAndDurability,
    VehicleStay,
    absent,
    known,
)
from app.services import passport_absent as na
from app.services.passport_condition import condition
from app.services.trace import BatteryHistory, battery_history, segments

#: The path of a battery's Digital Link under its base; this API resolves it (``GET /battery/{code}``).
DIGITAL_LINK_PATH = "/battery/"


def digital_link(base: str, code: str) -> str:
    """The battery's Digital Link URI: ``<base>/battery/<code>``."""
    return f"{digital_link_prefix(base)}{code}"


def digital_link_prefix(base: str) -> str:
    """What every battery's Digital Link under ``base`` starts with (capture accepts it as a battery URI)."""
    return f"{base.rstrip('/')}{DIGITAL_LINK_PATH}"


def battery_pass_status(platform_status: str, *, recycled: bool, repurposed: bool) -> BatteryPassStatus | None:
    """The Battery Pass status (original, repurposed, reused, remanufactured, waste) of a replayed
    battery; None when the replay placed it nowhere yet (status ``unknown``).

    Recycled is waste whatever followed; a battery handed to a second life, or made from one
    (a second-life code), is repurposed for the rest of its life, whatever the later custody
    moves say. This platform receives no event that tells re-use or remanufacturing apart from a
    repair or a re-installation, so it never answers those two."""
    if recycled:
        return "waste"
    if repurposed:
        return "repurposed"
    if platform_status == "unknown":
        return None
    return "original"


def get_passport(db: Database, code: str, link_base: str) -> Passport:
    """The passport of a battery some event names (404 otherwise)."""
    return build_passport(battery_history(db, code), link_base)


def build_passport(history: BatteryHistory, link_base: str) -> Passport:
    """Pure assembly from a replayed history (no database)."""
    code, life = history.code, history.life
    effective = history.effective()
    names = history.names()
    identity = Identity.model_validate(parse_battery_code(code).to_dict())
    produced = _first(effective, "produced", "subject")
    return Passport(
        code=code,
        digital_link=digital_link(link_base, code),
        identity=identity,
        general_product_information=_general(code, identity, life, effective, produced, names),
        labels=na.labels(),
        carbon_footprint=na.carbon_footprint(),
        supply_chain_due_diligence=na.due_diligence(),
        material_composition=MaterialComposition(
            battery_chemistry=_chemistry(identity, life, produced),
            battery_materials=na.reason("battery_materials"),
            hazardous_substances=na.reason("hazardous_substances"),
        ),
        circularity=Circularity(**na.circularity(), recovered_materials=_recovered(life, effective, names)),
        performance_and_durability=PerformanceAndDurability(
            battery_technical_properties=na.technical_properties(rated_energy=_rated_energy(life, produced)),
            battery_condition=condition(life),
        ),
        lifecycle_history=_history(history, effective),
    )


def _first(rows: list[TimelineRow], kind: str, role: str) -> TimelineRow | None:
    return next((r for r in rows if r.type == kind and r.role == role), None)


def _event(row: TimelineRow) -> str:
    return f"event {row.event_id} ({row.type}, reported by {row.reporter.uscc})"


def _general(
    code: str,
    identity: Identity,
    life: BatteryLifecycle,
    effective: list[TimelineRow],
    produced: TimelineRow | None,
    names: dict[str, str | None],
) -> GeneralProductInformation:
    no_production = "no production event for this battery has been reported to this platform"
    producer = life.attrs.get("producer") if life.produced else None
    return GeneralProductInformation(
        product_identifier=known(code, "the GB/T 34014 code"),
        battery_passport_identifier=na.reason("battery_passport_identifier"),
        battery_category=known("ev", "GB/T 34014 codes are given to new-energy-vehicle traction batteries"),
        manufacturer_information=(
            known(
                {"uscc": producer, "name": names.get(producer), "maker_code": identity.maker_code},
                _event(produced) if produced is not None else "the replay",
            )
            if producer
            else absent(f"not reported to this platform: {no_production}")
        ),
        manufacturing_date=_manufacturing_date(identity, produced),
        manufacturing_place=_place(produced),
        battery_status=_status(life, effective),
        battery_mass=_number(life, produced, "mass_kg", "kg", no_production),
        operator_information=na.reason("operator_information"),
        putting_into_service=(
            known(life.installed[0].since, f"the replay: first installed in {life.installed[0].target}")
            if life.installed
            else absent("not reported to this platform: no installation of this battery in a vehicle")
        ),
        warranty_period=na.reason("warranty_period"),
    )


def _manufacturing_date(identity: Identity, produced: TimelineRow | None) -> Any:
    if produced is not None:
        return known(produced.occurred_at.date(), _event(produced))
    if identity.production_date is not None:
        return known(identity.production_date, "the GB/T 34014 code's production date")
    return known(
        date(identity.production_year, identity.production_month, 1),
        "the GB/T 34014 code's production year and month (its day letter does not decode to a day)",
    )


def _place(produced: TimelineRow | None) -> Any:
    if produced is None:
        return absent("not reported to this platform: no production event for this battery")
    province = produced.payload.get("province")
    if not province:
        return absent(
            "not reported to this platform: the production event names no province, and the maker's "
            "registered seat is not its factory"
        )
    found = PROVINCES.get(str(province))
    return known({"province": province, "name": found.en if found else None}, _event(produced))


def _status(life: BatteryLifecycle, effective: list[TimelineRow]) -> Any:
    repurposed = life.derived_from is not None or _first(effective, "repurposed", "subject") is not None
    status = battery_pass_status(life.status, recycled=life.recycled is not None, repurposed=repurposed)
    if status is None:
        return absent("not reported to this platform: no event has placed this battery anywhere yet")
    value = {"battery_pass": status, "platform": life.status, "since": life.status_since}
    return known(value, "the replay of the battery's effective events (mapping: docs/passport.md)")


def _number(life: BatteryLifecycle, produced: TimelineRow | None, key: str, unit: str, missing: str) -> Any:
    value = life.attrs.get(key) if life.produced else None
    if value is None:
        why = missing if produced is None else f"the production event {produced.event_id} carries no {key}"
        return absent(f"not reported to this platform: {why}")
    return known(float(value), _event(produced) if produced is not None else "the replay", unit)


def _rated_energy(life: BatteryLifecycle, produced: TimelineRow | None) -> Any:
    missing = "no production event for this battery (capacity_kwh is reported for packs)"
    return _number(life, produced, "capacity_kwh", "kWh", missing)


def _chemistry(identity: Identity, life: BatteryLifecycle, produced: TimelineRow | None) -> Any:
    reported = life.attrs.get("chemistry") if life.produced else None
    if reported and produced is not None:
        return known({"short_name": reported, "confirmed": True}, _event(produced))
    return known(
        {"short_name": identity.chemistry, "confirmed": identity.chemistry_confirmed},
        f"the GB/T 34014 code's battery-type letter {identity.chemistry_letter!r}",
    )


def _recovered(life: BatteryLifecycle, effective: list[TimelineRow], names: dict[str, str | None]) -> Any:
    if life.recycled is None:
        return absent("not reported to this platform: this battery has not been recycled (no recycled event)")
    row = next(r for r in effective if r.event_id == life.recycled.event_id)
    recycler = life.recycled.other
    value = {
        "event_id": row.event_id,
        "recycled_at": row.occurred_at,
        "recycler": {"uscc": recycler, "name": names.get(recycler)},
        "input_mass_kg": row.payload.get("input_mass_kg"),
        "recovered_kg": {str(k): float(v) for k, v in (row.payload.get("recovered") or {}).items()},
    }
    return known(value, _event(row), "kg")


def _history(history: BatteryHistory, effective: list[TimelineRow]) -> LifecycleHistory:
    life = history.life
    repurposed = [
        {
            "event_id": r.event_id,
            "at": r.occurred_at,
            "by": {"uscc": r.reporter.uscc, "name": r.reporter.name},
            "application": r.payload.get("application"),
            "new_code": r.payload.get("new_code"),
            "soh_pct": r.payload.get("soh_pct"),
            "residual_capacity_kwh": r.payload.get("residual_capacity_kwh"),
        }
        for r in effective
        if r.type == "repurposed" and r.role == "subject"
    ]
    return LifecycleHistory(
        custody=segments(history.own, life),
        installations=[
            VehicleStay(
                vin=i.target,
                since=_at(i.since),
                until=_at(i.until),
                since_event=i.since_event,
                until_event=i.until_event,
            )
            for i in life.installed
        ],
        second_life={
            "derived_from": life.derived_from.other if life.derived_from else None,
            "repurposed": repurposed,
            "second_life_products": [p["new_code"] for p in repurposed if p["new_code"]],
        },
        event_count=life.event_count,
        last_event_at=_at(life.last_event_at),
    )


def _at(text: str | None) -> Any:
    return datetime.fromisoformat(text) if text is not None else None
