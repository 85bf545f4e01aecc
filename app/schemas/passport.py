"""The battery passport: what this platform holds about one battery, in the Battery Pass groups.

The groups and attribute names follow the Battery Pass data model (DIN DKE SPEC 99100), in this
API's snake_case. Every attribute of a group is listed: a value with where it came from, or
absent with the reason, so a reader can tell "not known here" from "left out". Attributes this
platform is never told are typed as always absent; the JSON Schema says so too
(``docs/passport.schema.json``, generated from these models by ``passport_json_schema``).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Generic, Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.passport_meanings import MEANINGS
from app.schemas.trace import HealthPoint, TraceSegment

T = TypeVar("T")

#: The Battery Pass status model (DIN DKE SPEC 99100, 6.1.3.7).
BatteryPassStatus = Literal["original", "repurposed", "reused", "remanufactured", "waste"]


class Known(BaseModel, Generic[T]):
    """An attribute this platform holds."""

    model_config = ConfigDict(extra="forbid")

    present: Literal[True] = Field(description="this platform holds the attribute")
    value: T = Field(description="the attribute's value")
    unit: str | None = Field(None, description="the value's unit, when it has one")
    source: str = Field(description="where the value comes from: the battery code, an event (by id), the replay")


class Absent(BaseModel):
    """An attribute this platform does not hold, and why."""

    model_config = ConfigDict(extra="forbid")

    present: Literal[False]
    reason: str


def known(value: Any, source: str, unit: str | None = None) -> Any:
    """A held attribute (typed by the field it lands in)."""
    return {"present": True, "value": value, "unit": unit, "source": source}


def absent(reason: str) -> Absent:
    return Absent(present=False, reason=reason)


class Identity(BaseModel):
    """The battery code decoded (GB/T 34014); the same fields as ``GET /v1/batteries/{code}``'s identity."""

    code: str
    maker_code: str
    level: Literal["pack", "module", "cell"]
    chemistry_letter: str
    chemistry: str
    chemistry_confirmed: bool
    spec_code: str
    trace_info: str
    production_year: int
    production_month: int
    production_day: int | None
    production_date: date | None
    serial: str
    second_life: bool


class Party(BaseModel):
    uscc: str = Field(description="unified social credit code (GB 32100)")
    name: str | None = Field(description="the registered name")


class Manufacturer(Party):
    maker_code: str = Field(description="the maker code opening the battery code")


class Place(BaseModel):
    province: str = Field(description="GB/T 2260 province-level code")
    name: str | None


class StatusValue(BaseModel):
    battery_pass: BatteryPassStatus
    platform: str = Field(description="this platform's status (GET /v1/vocabularies), which the Battery Pass one maps")
    since: datetime | None


class Chemistry(BaseModel):
    short_name: str
    confirmed: bool = Field(
        description="false when only the code's battery-type letter says so, and that letter's reading is not confirmed"
    )


class RecoveredMaterials(BaseModel):
    """What the recycler reported recovering (the ``recycled`` event)."""

    event_id: str
    recycled_at: datetime
    recycler: Party
    input_mass_kg: float | None
    recovered_kg: dict[str, float] = Field(description="kilograms by element (li, co, ni, mn, ...)")


class Repurposing(BaseModel):
    event_id: str
    at: datetime
    by: Party
    application: str | None
    new_code: str | None
    soh_pct: float | None = Field(description="state of health in % at hand-over, as the repurposing reported it")
    residual_capacity_kwh: float | None = Field(description="residual energy in kWh at hand-over, as reported")


class SecondLife(BaseModel):
    derived_from: str | None = Field(description="the original battery this second-life battery was made from")
    repurposed: list[Repurposing] = Field(description="hand-overs of this battery to a second life")
    second_life_products: list[str] = Field(description="codes of the batteries made from this one")


class VehicleStay(BaseModel):
    """One installation of the battery in a vehicle, from the replay."""

    vin: str
    since: datetime
    until: datetime | None
    since_event: str
    until_event: str | None


# --- the groups ------------------------------------------------------------------------------


class GeneralProductInformation(BaseModel):
    product_identifier: Known[str]
    battery_passport_identifier: Absent
    battery_category: Known[Literal["ev"]]
    manufacturer_information: Known[Manufacturer] | Absent
    manufacturing_date: Known[date] | Absent
    manufacturing_place: Known[Place] | Absent
    battery_status: Known[StatusValue] | Absent
    battery_mass: Known[float] | Absent
    operator_information: Absent
    putting_into_service: Known[datetime] | Absent
    warranty_period: Absent


class Labels(BaseModel):
    declaration_of_conformity: Absent
    result_of_test_report: Absent
    labels: Absent


class CarbonFootprint(BaseModel):
    battery_carbon_footprint: Absent
    carbon_footprint_per_lifecycle_stage: Absent
    carbon_footprint_performance_class: Absent
    carbon_footprint_study: Absent
    absolute_carbon_footprint: Absent


class SupplyChainDueDiligence(BaseModel):
    supply_chain_due_diligence_report: Absent
    third_party_assurances: Absent
    supply_chain_indices: Absent


class MaterialComposition(BaseModel):
    battery_chemistry: Known[Chemistry]
    battery_materials: Absent
    hazardous_substances: Absent


class Circularity(BaseModel):
    dismantling_and_removal_information: Absent
    spare_part_sources: Absent
    recycled_content: Absent
    safety_measures: Absent
    end_of_life_information: Absent
    renewable_content: Absent
    recovered_materials: Known[RecoveredMaterials] | Absent = Field(
        description="not a Battery Pass attribute: what recycling this battery recovered (recycled_content is the "
        "recovered share inside a new battery)"
    )


class BatteryTechnicalProperties(BaseModel):
    original_power_capability: Absent
    rated_maximum_power: Absent
    power_capability_ratio: Absent
    rated_energy: Known[float] | Absent
    expected_number_of_cycles: Absent
    initial_self_discharge: Absent
    roundtrip_efficiency: Absent
    rated_capacity: Absent
    initial_internal_resistance: Absent
    expected_lifetime: Absent
    c_rate: Absent
    nominal_voltage: Absent
    minimum_voltage: Absent
    maximum_voltage: Absent
    capacity_threshold_for_exhaustion: Absent
    lifetime_reference_test: Absent
    c_rate_life_cycle_test: Absent
    temperature_range_idle_state: Absent
    round_trip_efficiency_at_50_per_cent_cycle_life: Absent
    round_trip_efficiency_fade: Absent
    power_fade: Absent


class BatteryCondition(BaseModel):
    energy_throughput: Absent
    capacity_throughput: Absent
    number_of_full_cycles: Known[int] | Absent
    state_of_certified_energy: Known[float] | Absent
    capacity_fade: Known[float] | Absent
    remaining_energy: Known[float] | Absent
    remaining_capacity: Absent
    negative_events: Absent
    temperature_information: Absent
    remaining_power_capability: Absent
    evolution_of_self_discharge: Absent
    current_self_discharging_rate: Absent
    internal_resistance_increase: Absent
    remaining_round_trip_energy_efficiency: Absent
    state_of_charge: Absent
    health_readings: list[HealthPoint] = Field(
        description="not a Battery Pass attribute: every health reading of the battery, oldest first (the same as "
        "its trace's health); the attributes above are read from the latest"
    )


class PerformanceAndDurability(BaseModel):
    battery_technical_properties: BatteryTechnicalProperties
    battery_condition: BatteryCondition


class LifecycleHistory(BaseModel):
    """Not a Battery Pass group: the custody and second-life history this platform was told."""

    custody: list[TraceSegment] = Field(description="where the battery was, in order: the same segments as its trace")
    installations: list[VehicleStay]
    second_life: SecondLife = Field(description="where this battery came from and what it became in a second life")
    event_count: int = Field(description="the battery's own events that stand (uncorrected)")
    last_event_at: datetime | None


class Passport(BaseModel):
    """One battery's passport as far as this platform knows it; absent attributes say why."""

    code: str
    digital_link: str = Field(description="the battery's Digital Link URI (in its QR code); see docs/passport.md")
    identity: Identity
    general_product_information: GeneralProductInformation
    labels: Labels
    carbon_footprint: CarbonFootprint
    supply_chain_due_diligence: SupplyChainDueDiligence
    material_composition: MaterialComposition
    circularity: Circularity
    performance_and_durability: PerformanceAndDurability
    lifecycle_history: LifecycleHistory


def _describe(*models: type[BaseModel]) -> None:
    """Give every field without its own description the attribute's meaning. Models come inner
    first, and a Known[<model>] field's wrapper is rebuilt before its holder, since each holds the
    schema of what it wraps as it was when it was built."""
    for model in models:
        for name, info in model.model_fields.items():
            if info.description is None and name in MEANINGS:
                info.description = MEANINGS[name]
            for arg in (info.annotation, *get_args(info.annotation)):
                if isinstance(arg, type) and issubclass(arg, Known):
                    arg.model_rebuild(force=True)
        model.model_rebuild(force=True)


_describe(
    Absent,
    Identity,
    Party,
    Manufacturer,
    Place,
    StatusValue,
    Chemistry,
    RecoveredMaterials,
    Repurposing,
    SecondLife,
    VehicleStay,
    GeneralProductInformation,
    Labels,
    CarbonFootprint,
    SupplyChainDueDiligence,
    MaterialComposition,
    Circularity,
    BatteryTechnicalProperties,
    BatteryCondition,
    PerformanceAndDurability,
    LifecycleHistory,
    Passport,
)


def passport_json_schema() -> str:
    """The passport's JSON Schema as checked in at docs/passport.schema.json (a test holds the two equal)."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://id.batterytrace.org/schemas/passport.schema.json",
        **Passport.model_json_schema(mode="serialization"),
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
