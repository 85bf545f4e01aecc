"""Answers of the trace endpoints (investigators' view of one battery, vehicle or station)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_after: str | None = None


class BatterySummary(BaseModel):
    code: str
    level: str | None
    maker_code: str | None
    status: str | None
    status_since: datetime | None
    chemistry: str | None
    current_vin: str | None
    current_holder: str | None


class CurrentVehicle(BaseModel):
    vin: str
    since: datetime
    model: str | None = None
    swap_capable: bool | None = None


class Custodian(BaseModel):
    uscc: str
    name: str | None
    roles: list[str] | None
    since: datetime


class BatteryDetail(BaseModel):
    code: str
    identity: dict[str, Any]
    level: str | None
    status: str | None
    status_since: datetime | None
    produced: bool
    chemistry: str | None
    mass_kg: float | None
    capacity_kwh: float | None
    produced_at: datetime | None
    producer: str | None
    last_event_at: datetime | None
    event_count: int
    current_vehicle: CurrentVehicle | None
    current_custodian: Custodian | None
    parent: str | None
    derived_from: str | None
    second_life_products: list[str]
    component_count: int


class Reporter(BaseModel):
    uscc: str | None
    name: str | None
    roles: list[str] | None = None


class EventWarning(BaseModel):
    """Where an event contradicts the record (the same codes capture answers with)."""

    code: str
    battery: str | None
    message: str


class TimelineEntry(BaseModel):
    event_id: str
    type: str
    role: str = Field(
        description="how the event names the battery: subject, out, in, component, new, correction; or vehicle "
        "(an event of a vehicle it was in at the time: sale, scrapping, export; details.vehicle is the VIN)"
    )
    occurred_at: datetime
    recorded_at: datetime
    imported: bool
    reporter: Reporter
    corrected: bool
    corrected_by: list[str]
    details: dict[str, Any]
    warnings: list[EventWarning] = Field(default_factory=list, description="contradictions with the record")


class TraceSegment(BaseModel):
    """A stay: with a company (``holder``), in a vehicle, in transit to a company, or inside a pack."""

    model_config = ConfigDict(populate_by_name=True)

    kind: Literal["holder", "vehicle", "transit", "pack"]
    ref: str | None = Field(description="USCC, VIN, the addressee's USCC (transit) or the pack's code")
    name: str | None = Field(description="the holder's registered name")
    from_: datetime = Field(alias="from")
    to: datetime | None = Field(description="null while the battery is still there")
    opened_by: str = Field(description="the event that put the battery here")
    closed_by: str | None = Field(description="the event that took it away (null while it is here)")


class HealthPoint(BaseModel):
    """One measurement of the battery's health (``health_measured``), or its condition at a
    hand-over to second life (``repurposed``; no method)."""

    event_id: str = Field(description="the event that carried the reading")
    type: str = Field(description="health_measured, or repurposed (the condition at hand-over)")
    at: datetime = Field(description="when it was measured (the event's occurred_at)")
    reporter: str = Field(description="USCC of the company that measured")
    soh_pct: float | None = Field(description="state of health in % of the rated capacity")
    capacity_kwh: float | None = Field(description="measured (or residual, at hand-over) energy in kWh")
    cycle_count: int | None = Field(description="equivalent full cycles, as counted by the BMS")
    method: str | None = Field(description="bms_readout, residual_energy_test or estimate; null at a hand-over")


class Trace(BaseModel):
    code: str
    status: str | None
    events: list[TimelineEntry]
    segments: list[TraceSegment] = Field(
        description="where the battery was, in order: the server's replay of the effective events"
    )
    health: list[HealthPoint] = Field(
        default_factory=list, description="its measured health over life, oldest first (the same replay)"
    )


class Component(BaseModel):
    code: str
    level: str | None
    parent: str
    depth: int
    status: str | None


class Components(BaseModel):
    code: str
    components: list[Component]


class Installation(BaseModel):
    code: str
    level: str | None
    since: datetime
    until: datetime | None
    since_event: str
    until_event: str | None
    since_type: str | None = Field(None, description="type of the event that put the battery in: installed, swapped")
    until_type: str | None = Field(
        None, description="type of the event that took it out: removed, swapped (null: still in)"
    )
    since_station: str | None = Field(None, description="the swap station it went in at (a swap), else null")
    since_station_name: str | None = Field(None, description="that station's registered name")
    until_station: str | None = Field(None, description="the swap station it came out at (a swap), else null")
    until_station_name: str | None = Field(None, description="that station's registered name")


class VehicleBatteries(BaseModel):
    vin: str
    registered: bool | None
    sold_at: datetime | None
    scrapped_at: datetime | None
    exported_at: datetime | None = None
    export_destination: str | None = Field(None, description="ISO 3166-1 alpha-2 country it was exported to")
    batteries: list[Installation]


class Swap(BaseModel):
    event_id: str
    occurred_at: datetime
    recorded_at: datetime
    vehicle: str
    battery_out: str
    battery_in: str
    reporter: str


class StationSwaps(BaseModel):
    station: str
    since: datetime
    until: datetime
    items: list[Swap]
    next_skip: int | None


class Submission(BaseModel):
    """One event a company sent, as its compliance desk follows it up."""

    event_id: str = Field(description="the event's id, as the company sent it")
    type: str = Field(description="the event type")
    occurred_at: datetime = Field(description="when it happened, as reported")
    recorded_at: datetime = Field(description="when the platform stored it")
    batteries: list[str] = Field(description="the battery codes the event names (both of a swap)")
    vehicle: str | None = Field(None, description="the VIN it names, if any")
    station: str | None = Field(None, description="the swap station it names, if any")
    log_index: int | None = Field(
        description="the receipt: its place in the verifiable log (GET /v1/log/proof/inclusion?event_id= proves "
        "it); null while not yet logged"
    )
    corrected: bool = Field(description="a later event voided it")
    warnings: list[EventWarning] = Field(description="where it contradicts the record (stored as claimed)")


class Submissions(BaseModel):
    """A company's latest events, newest first."""

    company: str = Field(description="the company's USCC")
    items: list[Submission] = Field(description="newest first, by the time the platform recorded them")
    limit: int = Field(description="at most this many")
