"""The v1 event contract: one model per event type, identifiers checked at the boundary.

A batch is validated as a whole so that every bad event is reported at once, by index, field
and reason. Identifier checks run here (not in the database) so a malformed code never reaches
a transaction.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    model_validator,
)

from app.identifiers import parse_battery_code
from app.identifiers.chemistry import chemistry_conflict, normalise_chemistry
from app.identifiers.provinces import check_province
from app.identifiers.types import BatteryCodeStr, UsccStr, VinStr
from app.schemas.ledger import Receipt

LEVEL_RANK = {"cell": 0, "module": 1, "pack": 2}


EventId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._:-]{1,64}$")]
StationId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._:-]{1,64}$")]
ProvinceCode = Annotated[str, StringConstraints(pattern=r"^\d{6}$"), AfterValidator(check_province)]


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


Kilograms = Annotated[float, AfterValidator(_finite), Field(gt=0, le=100_000)]
RemovalReason = Literal["repair", "replacement", "scrapping", "other"]
CorrectionReason = Literal["incorrect_data", "did_not_occur"]
# Applications recorded for second life; e_bike is banned but must be recordable as evidence.
BANNED_APPLICATIONS = frozenset({"e_bike", "electric_bicycle", "e_tricycle"})
Application = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,39}$")]
Element = Annotated[str, StringConstraints(pattern=r"^[a-z]{1,2}$")]


# The record starts with the national traceability platform (2018) and the first coded packs;
# nothing in it can have happened before 2010, whatever a clock or a default says.
EARLIEST = datetime(2010, 1, 1, tzinfo=UTC)
# Events may be dated a little before the day their code carries: the code's date is a local
# calendar day and clocks drift; more than this is an impossible history.
PRODUCTION_TOLERANCE = timedelta(days=2)
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")
_RFC3339_HINT = "an RFC 3339 date-time with a UTC offset, e.g. 2025-01-01T08:00:00+08:00"


def _rfc3339(value: object) -> object:
    """Only RFC 3339 text (or an aware datetime from Python callers): a bare number is not a time."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        if not _RFC3339.match(value.strip()):
            raise ValueError(f"must be {_RFC3339_HINT}, got {value!r}")
        return value.strip()
    raise ValueError(f"must be a string holding {_RFC3339_HINT}, got {type(value).__name__}")


def _plausible_moment(value: datetime) -> datetime:
    offset = value.utcoffset()
    if offset is not None and abs(offset.total_seconds()) > 18 * 3600:
        raise ValueError("UTC offset beyond ±18:00")
    if value < EARLIEST:
        raise ValueError(f"{value.isoformat()} is before 2010-01-01, earlier than any traceable battery")
    return value


EventTime = Annotated[AwareDatetime, BeforeValidator(_rfc3339), AfterValidator(_plausible_moment)]
ChemistryName = Annotated[str, StringConstraints(min_length=1, max_length=32), AfterValidator(normalise_chemistry)]


class _EventBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False)

    event_id: EventId
    occurred_at: EventTime
    reporter: UsccStr
    province: ProvinceCode | None = None
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None
    # Only the admin import path may carry the original recording time; the API refuses it.
    recorded_at: EventTime | None = None

    @model_validator(mode="after")
    def _not_before_production(self) -> _EventBase:
        """No step of a battery's life precedes the production day its own code carries."""
        for name, code in _codes_named(self):
            made = parse_battery_code(code).production_date
            if made is not None and self.occurred_at < _start_of(made) - PRODUCTION_TOLERANCE:
                raise ValueError(
                    f"occurred_at: {self.occurred_at.isoformat()} is before {made.isoformat()}, the production "
                    f"date in {name} {code} (more than {PRODUCTION_TOLERANCE.days} days early)"
                )
        return self


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _codes_named(event: BaseModel) -> list[tuple[str, str]]:
    """The codes whose life this event is a step of (not a second-life code minted by it)."""
    found: list[tuple[str, str]] = []
    for name in ("battery", "battery_out", "battery_in"):
        value = getattr(event, name, None)
        if isinstance(value, str):
            found.append((name, value))
    found.extend((f"components[{i}]", c) for i, c in enumerate(getattr(event, "components", ())))
    return found


class Produced(_EventBase):
    type: Literal["produced"]
    battery: BatteryCodeStr
    chemistry: ChemistryName
    mass_kg: Kilograms
    capacity_kwh: Annotated[float, AfterValidator(_finite), Field(gt=0, le=2_000)] | None = None
    components: Annotated[list[BatteryCodeStr], Field(max_length=2_000)] = []

    @model_validator(mode="after")
    def _components_nest_downward(self) -> Produced:
        parsed = parse_battery_code(self.battery)
        conflict = chemistry_conflict(parsed.chemistry_letter, self.chemistry)  # type: ignore[arg-type]
        if conflict is not None:
            raise ValueError(f"chemistry: {conflict}")
        level = parsed.level
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
    recovered: Annotated[
        dict[Element, Annotated[float, AfterValidator(_finite), Field(ge=0)]], Field(max_length=30)
    ] = {}


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


class IngestWarning(BaseModel):
    """A stored event that contradicts the record: it is kept as claimed, and the reporter told."""

    index: int = Field(description="the event's position in the batch")
    event_id: str
    battery: str | None = Field(description="the battery whose history it contradicts, if one")
    code: str = Field(description="stable code: before_production, after_recycling, two_vehicles, ...")
    message: str


class IngestResult(BaseModel):
    accepted: int = Field(description="events newly stored by this request")
    duplicates: int = Field(description="events already stored with identical content")
    warnings: list[IngestWarning] = Field(
        default_factory=list, description="stored events that contradict the record (see docs/claims.md)"
    )
    voided_for_others: list[str] = Field(
        default_factory=list, description="events of other companies an admin voided (named in the audit trail)"
    )
    receipt: Receipt | None = Field(
        None,
        description="signed proof that the new events entered the verifiable log (docs/integrity.md); "
        "none when nothing new was stored",
    )


def canonical_payload(event: BaseModel) -> dict[str, Any]:
    """The event as stored and hashed: JSON types, wire names, no server-set fields."""
    return event.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"recorded_at"})


def event_time(event: BaseModel) -> datetime:
    value: datetime = event.occurred_at  # type: ignore[attr-defined]
    return value
