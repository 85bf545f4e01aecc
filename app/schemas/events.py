"""The v1 event contract: one model per event type, identifiers checked at the boundary.

A batch is validated as a whole so that every bad event is reported at once, by index, field
and reason. Identifier checks run here (not in the database) so a malformed code never reaches
a transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    model_validator,
)

from app.identifiers import parse_battery_code
from app.identifiers.types import BatteryCodeStr, UsccStr, VinStr

LEVEL_RANK = {"cell": 0, "module": 1, "pack": 2}


EventId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._:-]{1,64}$")]
StationId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._:-]{1,64}$")]
ProvinceCode = Annotated[str, StringConstraints(pattern=r"^\d{6}$")]
Kilograms = Annotated[float, Field(gt=0, le=100_000)]
RemovalReason = Literal["repair", "replacement", "scrapping", "other"]
CorrectionReason = Literal["incorrect_data", "did_not_occur"]
# Applications recorded for second life; e_bike is banned but must be recordable as evidence.
BANNED_APPLICATIONS = frozenset({"e_bike", "electric_bicycle", "e_tricycle"})
Application = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,39}$")]
Element = Annotated[str, StringConstraints(pattern=r"^[a-z]{1,2}$")]


def _neo4j_offset(value: datetime) -> datetime:
    offset = value.utcoffset()
    if offset is not None and abs(offset.total_seconds()) > 18 * 3600:
        raise ValueError("UTC offset beyond ±18:00")
    return value


EventTime = Annotated[AwareDatetime, AfterValidator(_neo4j_offset)]


class _EventBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    event_id: EventId
    occurred_at: EventTime
    reporter: UsccStr
    province: ProvinceCode | None = None
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None
    # Only the admin import path may carry the original recording time; the API refuses it.
    recorded_at: EventTime | None = None


class Produced(_EventBase):
    type: Literal["produced"]
    battery: BatteryCodeStr
    chemistry: Annotated[str, StringConstraints(min_length=2, max_length=32)]
    mass_kg: Kilograms
    capacity_kwh: Annotated[float, Field(gt=0, le=2_000)] | None = None
    components: Annotated[list[BatteryCodeStr], Field(max_length=2_000)] = []

    @model_validator(mode="after")
    def _components_nest_downward(self) -> Produced:
        level = parse_battery_code(self.battery).level
        for i, code in enumerate(self.components):
            sub = parse_battery_code(code).level
            if LEVEL_RANK[sub] >= LEVEL_RANK[level]:
                raise ValueError(
                    f"components[{i}]: a {level} can only contain lower levels (pack > module > cell), not a {sub}"
                )
        if len(set(self.components)) != len(self.components):
            raise ValueError("components: a code is listed twice")
        if self.battery in self.components:
            raise ValueError("components: a battery cannot contain itself")
        return self


class Shipped(_EventBase):
    type: Literal["shipped"]
    battery: BatteryCodeStr
    to: UsccStr


class Received(_EventBase):
    type: Literal["received"]
    battery: BatteryCodeStr
    from_: UsccStr = Field(alias="from")

    model_config = ConfigDict(populate_by_name=True)


class Installed(_EventBase):
    type: Literal["installed"]
    battery: BatteryCodeStr
    vehicle: VinStr


class VehicleSold(_EventBase):
    type: Literal["vehicle_sold"]
    vehicle: VinStr


# --- vehicle_exported: a vehicle leaves China (customs clearance), with the packs in it --------
# ISO 3166-1 alpha-2 (upper case); CN is the origin, not a destination.
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class VehicleExported(_EventBase):
    """The vehicle left the country on ``occurred_at`` (the export date); its packs went with it."""

    type: Literal["vehicle_exported"]
    vehicle: VinStr
    destination: CountryCode

    @model_validator(mode="after")
    def _abroad(self) -> VehicleExported:
        if self.destination == "CN":
            raise ValueError("destination: an export leaves China, so it cannot be CN")
        return self


# --- end of vehicle_exported ---------------------------------------------------------------


class Swapped(_EventBase):
    type: Literal["swapped"]
    vehicle: VinStr
    station: StationId
    battery_out: BatteryCodeStr
    battery_in: BatteryCodeStr

    @model_validator(mode="after")
    def _two_batteries(self) -> Swapped:
        if self.battery_out == self.battery_in:
            raise ValueError("battery_in: must differ from battery_out")
        return self


class Removed(_EventBase):
    type: Literal["removed"]
    battery: BatteryCodeStr
    vehicle: VinStr
    reason: RemovalReason


class Repaired(_EventBase):
    type: Literal["repaired"]
    battery: BatteryCodeStr


class VehicleScrapped(_EventBase):
    type: Literal["vehicle_scrapped"]
    vehicle: VinStr


class Repurposed(_EventBase):
    type: Literal["repurposed"]
    battery: BatteryCodeStr
    application: Application
    new_code: BatteryCodeStr | None = None

    @model_validator(mode="after")
    def _new_code_differs(self) -> Repurposed:
        if self.new_code == self.battery:
            raise ValueError("new_code: must differ from battery")
        return self


class Recycled(_EventBase):
    type: Literal["recycled"]
    battery: BatteryCodeStr
    input_mass_kg: Kilograms
    recovered: Annotated[dict[Element, Annotated[float, Field(ge=0)]], Field(max_length=30)] = {}


class Correction(_EventBase):
    type: Literal["correction"]
    corrects: EventId
    reason: CorrectionReason
    corrective_event_ids: Annotated[list[EventId], Field(max_length=100)] = []

    @model_validator(mode="after")
    def _not_itself(self) -> Correction:
        if self.corrects == self.event_id:
            raise ValueError("corrects: an event cannot correct itself")
        return self


Event = Annotated[
    Produced
    | Shipped
    | Received
    | Installed
    | VehicleSold
    | Swapped
    | Removed
    | Repaired
    | VehicleScrapped
    | VehicleExported
    | Repurposed
    | Recycled
    | Correction,
    Field(discriminator="type"),
]
EVENT_TYPES = (
    "produced",
    "shipped",
    "received",
    "installed",
    "vehicle_sold",
    "swapped",
    "removed",
    "repaired",
    "vehicle_scrapped",
    "vehicle_exported",
    "repurposed",
    "recycled",
    "correction",
)

event_adapter: TypeAdapter[Event] = TypeAdapter(Event)


class EventBatch(BaseModel):
    """A capture request: up to 10,000 events, written all together or not at all."""

    events: Annotated[list[Event], Field(min_length=1, max_length=10_000)]


class IngestResult(BaseModel):
    accepted: int = Field(description="events newly stored by this request")
    duplicates: int = Field(description="events already stored with identical content")


def canonical_payload(event: BaseModel) -> dict[str, Any]:
    """The event as stored and hashed: JSON types, wire names, no server-set fields."""
    return event.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"recorded_at"})


def event_time(event: BaseModel) -> datetime:
    value: datetime = event.occurred_at  # type: ignore[attr-defined]
    return value
