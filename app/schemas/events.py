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
from app.identifiers.types import BATTERY_CODE_TEXT, USCC_TEXT, VIN_TEXT, BatteryCodeStr, UsccStr, VinStr
from app.schemas.ledger import Receipt

LEVEL_RANK = {"cell": 0, "module": 1, "pack": 2}


EVENT_ID_TEXT = (
    "The event's id and idempotency key: 1-64 characters of A-Z a-z 0-9 . _ : - chosen by the sender. "
    "Resending an id with the same content is a duplicate, stored once; with other content it is a 409."
)
STATION_ID_TEXT = "Swap station id: 1-64 characters of A-Z a-z 0-9 . _ : -; events name a registered station."
PROVINCE_TEXT = (
    "GB/T 2260 province-level code: 6 digits, one of the 34 (e.g. 110000 Beijing, 440000 Guangdong; listed "
    "at GET /v1/vocabularies); prefecture and county codes are refused."
)
ID_PATTERN = r"^[A-Za-z0-9._:-]{1,64}$"
PROVINCE_PATTERN = r"^\d{6}$"
EventId = Annotated[str, StringConstraints(pattern=ID_PATTERN), Field(description=EVENT_ID_TEXT)]
StationId = Annotated[str, StringConstraints(pattern=ID_PATTERN), Field(description=STATION_ID_TEXT)]
ProvinceCode = Annotated[
    str, StringConstraints(pattern=PROVINCE_PATTERN), AfterValidator(check_province), Field(description=PROVINCE_TEXT)
]


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
OCCURRED_AT_TEXT = (
    f"When it happened: {_RFC3339_HINT}. Not before 2010, not more than 24 hours ahead, and not more than "
    f"{PRODUCTION_TOLERANCE.days} days before the production date in a named battery code."
)
ChemistryName = Annotated[str, StringConstraints(min_length=1, max_length=32), AfterValidator(normalise_chemistry)]


class _EventBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False)

    event_id: EventId
    occurred_at: Annotated[EventTime, Field(description=OCCURRED_AT_TEXT)]
    reporter: Annotated[UsccStr, Field(description=f"The company reporting its own act, registered. {USCC_TEXT}")]
    province: Annotated[ProvinceCode | None, Field(description=f"Where it happened (optional). {PROVINCE_TEXT}")] = None
    note: Annotated[
        Annotated[str, StringConstraints(max_length=2000)] | None,
        Field(
            description="Free text, at most 2,000 characters; an admin voiding another company's event gives "
            "the reason here."
        ),
    ] = None
    # Only the admin import path may carry the original recording time; the API refuses it.
    recorded_at: Annotated[
        EventTime | None, Field(description="set by the server; only an admin import of history may carry it")
    ] = None

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
    """A battery was made: reported by the company registered with the code's maker code (positions 1-3)."""

    type: Literal["produced"]
    battery: Annotated[BatteryCodeStr, Field(description=f"The battery made. {BATTERY_CODE_TEXT}")]
    chemistry: Annotated[
        ChemistryName,
        Field(
            description="A GB/T 34014 type letter (B, E, ...) or a name or alias of the vocabulary (LFP, NCM, "
            "磷酸铁锂, ...), stored under its canonical name; it must agree with the code's battery type letter."
        ),
    ]
    mass_kg: Annotated[Kilograms, Field(description="mass in kilograms, above 0 and at most 100,000")]
    capacity_kwh: Annotated[
        Annotated[float, AfterValidator(_finite), Field(gt=0, le=2_000)] | None,
        Field(description="rated energy in kWh (packs), above 0 and at most 2,000"),
    ] = None
    components: Annotated[
        list[BatteryCodeStr],
        Field(
            max_length=2_000,
            description="codes of the modules or cells inside, each of a lower level than `battery`, none twice",
        ),
    ] = []

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
    """The battery left the reporter (the sender) for the company `to`."""

    type: Literal["shipped"]
    battery: BatteryCodeStr
    to: Annotated[UsccStr, Field(description=f"The registered company it was sent to. {USCC_TEXT}")]


class Received(_EventBase):
    """The reporter (the receiver) took the battery in from the company `from`."""

    type: Literal["received"]
    battery: BatteryCodeStr
    from_: UsccStr = Field(alias="from", description=f"The registered company it came from. {USCC_TEXT}")

    model_config = ConfigDict(populate_by_name=True)


class Installed(_EventBase):
    """The battery was fitted in a vehicle: installation at the factory, or a replacement."""

    type: Literal["installed"]
    battery: BatteryCodeStr
    vehicle: Annotated[VinStr, Field(description=f"A registered vehicle. {VIN_TEXT}")]


class VehicleSold(_EventBase):
    """The vehicle was sold to its first owner."""

    type: Literal["vehicle_sold"]
    vehicle: Annotated[VinStr, Field(description=f"A registered vehicle. {VIN_TEXT}")]


# --- vehicle_exported: a vehicle leaves China (customs clearance), with the packs in it --------
# ISO 3166-1 alpha-2 (upper case); CN is the origin, not a destination.
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class VehicleExported(_EventBase):
    """The vehicle left the country on ``occurred_at`` (the export date); its packs went with it."""

    type: Literal["vehicle_exported"]
    vehicle: Annotated[VinStr, Field(description=f"A registered vehicle. {VIN_TEXT}")]
    destination: Annotated[CountryCode, Field(description="ISO 3166-1 alpha-2 country it went to (upper case, not CN)")]

    @model_validator(mode="after")
    def _abroad(self) -> VehicleExported:
        if self.destination == "CN":
            raise ValueError("destination: an export leaves China, so it cannot be CN")
        return self


# --- end of vehicle_exported ---------------------------------------------------------------


class Swapped(_EventBase):
    """At a swap station, `battery_out` came out of the vehicle and `battery_in` went in; reported by the
    station's operator."""

    type: Literal["swapped"]
    vehicle: Annotated[VinStr, Field(description=f"A registered vehicle. {VIN_TEXT}")]
    station: StationId
    battery_out: Annotated[BatteryCodeStr, Field(description=f"The battery taken out. {BATTERY_CODE_TEXT}")]
    battery_in: Annotated[
        BatteryCodeStr, Field(description=f"The battery put in, not battery_out. {BATTERY_CODE_TEXT}")
    ]

    @model_validator(mode="after")
    def _two_batteries(self) -> Swapped:
        if self.battery_out == self.battery_in:
            raise ValueError("battery_in: must differ from battery_out")
        return self


class Removed(_EventBase):
    """The battery was taken out of the vehicle: for repair, replacement, scrapping or another reason."""

    type: Literal["removed"]
    battery: BatteryCodeStr
    vehicle: Annotated[VinStr, Field(description=f"A registered vehicle. {VIN_TEXT}")]
    reason: Annotated[RemovalReason, Field(description="why it was taken out")]


class Repaired(_EventBase):
    """The battery was repaired."""

    type: Literal["repaired"]
    battery: BatteryCodeStr


class VehicleScrapped(_EventBase):
    """The vehicle was scrapped by a dismantler."""

    type: Literal["vehicle_scrapped"]
    vehicle: Annotated[VinStr, Field(description=f"A registered vehicle. {VIN_TEXT}")]


# --- health_measured: state of health, capacity and cycles, as a company measured them ----------
#: How a measurement was taken: the pack's own BMS, a residual energy test (GB/T 34015, which the
#: cascade-use rules require of second-life firms) or an estimate.
HealthMethod = Literal["bms_readout", "residual_energy_test", "estimate"]
# A new pack reads a little above 100% (manufacturers' margin over the rated capacity); more than
# this is not a measurement.
SOH_MAX_PCT = 110.0
SohPct = Annotated[float, AfterValidator(_finite), Field(ge=0, le=SOH_MAX_PCT)]
SOH_TEXT = f"state of health in % of the rated capacity, 0 to {SOH_MAX_PCT:g}"
Kwh = Annotated[float, AfterValidator(_finite), Field(gt=0, le=2_000)]


class HealthMeasured(_EventBase):
    """The battery's state of health was measured by the reporter (a company the record links to it)."""

    type: Annotated[Literal["health_measured"], Field(description="a measurement of the battery's health")]
    battery: Annotated[BatteryCodeStr, Field(description=f"The battery measured. {BATTERY_CODE_TEXT}")]
    soh_pct: Annotated[SohPct, Field(description=SOH_TEXT)]
    capacity_kwh: Annotated[Kwh, Field(description="measured usable energy in kWh, above 0 and at most 2,000")]
    cycle_count: Annotated[
        int, Field(ge=0, le=1_000_000, description="equivalent full cycles so far (the BMS counter), 0 to 1,000,000")
    ]
    internal_resistance_mohm: Annotated[
        Annotated[float, AfterValidator(_finite), Field(gt=0, le=100_000)] | None,
        Field(description="pack internal resistance in milliohms, where known"),
    ] = None
    method: Annotated[
        HealthMethod,
        Field(description="bms_readout, residual_energy_test (GB/T 34015) or estimate"),
    ]


# --- end of health_measured -------------------------------------------------------------------


class Repurposed(_EventBase):
    """The battery began a second life (cascade use), possibly under a new second-life code."""

    type: Literal["repurposed"]
    battery: BatteryCodeStr
    application: Annotated[
        Application,
        Field(
            description="2-40 of a-z 0-9 _, starting with a letter: energy_storage, backup_power, ... (GET "
            "/v1/vocabularies); banned ones such as e_bike are recorded as evidence"
        ),
    ]
    new_code: Annotated[
        BatteryCodeStr | None,
        Field(description="the second-life code it carries from now on (optional), not `battery`"),
    ] = None
    residual_capacity_kwh: Annotated[
        Kwh | None, Field(description="the residual energy in kWh at hand-over, as tested (optional)")
    ] = None
    soh_pct: Annotated[SohPct | None, Field(description=f"{SOH_TEXT}, at hand-over (optional)")] = None

    @model_validator(mode="after")
    def _new_code_differs(self) -> Repurposed:
        if self.new_code == self.battery:
            raise ValueError("new_code: must differ from battery")
        return self


class Recycled(_EventBase):
    """The battery's materials were recovered by a recycler."""

    type: Literal["recycled"]
    battery: BatteryCodeStr
    input_mass_kg: Annotated[Kilograms, Field(description="mass taken in, in kilograms")]
    recovered: Annotated[
        dict[Element, Annotated[float, AfterValidator(_finite), Field(ge=0)]],
        Field(max_length=30, description="kilograms recovered by element symbol in lower case: li, co, ni, mn, ..."),
    ] = {}


class Correction(_EventBase):
    """Voids an earlier event of the same company (an admin may void any, with the reason in `note`): the
    event stays stored, marked void."""

    type: Literal["correction"]
    corrects: Annotated[EventId, Field(description="the event_id voided: a stored event of the same company")]
    reason: Annotated[
        CorrectionReason, Field(description="incorrect_data (the corrective events say it right) or did_not_occur")
    ]
    corrective_event_ids: Annotated[
        list[EventId], Field(max_length=100, description="events that restate the voided one correctly (optional)")
    ] = []

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
    | HealthMeasured
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
    "health_measured",
    "repurposed",
    "recycled",
    "correction",
)

event_adapter: TypeAdapter[Event] = TypeAdapter(Event)


class EventBatch(BaseModel):
    """A capture request: up to 10,000 events, written all together or not at all."""

    events: Annotated[
        list[Event],
        Field(min_length=1, max_length=10_000, description="1 to 10,000 events, each of the type its `type` names"),
    ]


class IngestWarning(BaseModel):
    """A stored event that contradicts the record: it is kept as claimed, and the reporter told."""

    index: int = Field(description="the event's position in the batch")
    event_id: str = Field(description="the stored event's id")
    battery: str | None = Field(description="the battery whose history it contradicts, if one")
    code: str = Field(description="stable code: before_production, after_recycling, two_vehicles, ...")
    message: str = Field(description="the contradiction, in words")


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
