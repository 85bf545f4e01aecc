"""Registry records: companies (with white-list licences), swap stations and vehicles."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from app.identifiers.types import UsccStr, VinStr
from app.schemas.events import ProvinceCode, StationId

Role = Literal[
    "battery_maker",
    "automaker",
    "importer",
    "swap_operator",
    "repairer",
    "service_point",
    "dismantler",
    "second_life",
    "recycler",
]
LicenceScope = Literal["dismantling", "second_life", "recycling"]
VehicleCategory = Literal["passenger_bev", "passenger_phev", "mini_bev", "bus", "truck", "other"]
MakerCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{3}$")]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


class Licence(_Record):
    """A white-list licence of a dismantler, second-life company or recycler, with its validity window."""

    scope: LicenceScope = Field(description="what the white list licenses: dismantling, second_life or recycling")
    valid_from: date = Field(description="first day it holds")
    valid_to: date | None = Field(None, description="last day it holds; none while it runs; not before valid_from")
    batch: Annotated[int | None, Field(ge=1, le=99, description="the white list's batch (1-99) that named it")] = None

    @model_validator(mode="after")
    def _window(self) -> Licence:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to: before valid_from")
        return self


class Company(_Record):
    """A company of the chain, by its unified social credit code; an upsert of a known one keeps the old version."""

    uscc: UsccStr
    name: Annotated[str, StringConstraints(min_length=1, max_length=200), Field(description="registered name")]
    name_en: Annotated[
        Annotated[str, StringConstraints(min_length=1, max_length=200)] | None,
        Field(description="its name in English, when it gives one (the registered name is usually Chinese)"),
    ] = None
    roles: Annotated[list[Role], Field(min_length=1, description="its roles in the chain: what it may fit to report")]
    province: ProvinceCode
    maker_code: Annotated[
        MakerCode | None,
        Field(description="GB/T 34014 maker code (3 of A-Z 0-9, positions 1-3 of its codes); required for makers"),
    ] = None
    # An importer may report the production of packs under the maker codes it is declared for
    # (a foreign maker's products it brings in); docs/claims.md.
    imports_for: Annotated[
        list[MakerCode], Field(max_length=50, description="importers: the maker codes whose production it may report")
    ] = []
    licences: list[Licence] = Field([], description="white-list licences; an upsert replaces those stored")

    @model_validator(mode="after")
    def _maker_code_for_makers(self) -> Company:
        if "battery_maker" in self.roles and self.maker_code is None:
            raise ValueError("maker_code: required for a battery maker (GB/T 34014 positions 1-3)")
        if self.imports_for and "importer" not in self.roles:
            raise ValueError("imports_for: only an importer is declared for other makers' codes")
        return self


class Station(_Record):
    """A battery swap station and the company operating it."""

    id: StationId
    operator: Annotated[UsccStr, Field(description="USCC of the registered swap operator running it")]
    province: ProvinceCode
    name: Annotated[Annotated[str, StringConstraints(max_length=200)] | None, Field(description="its name")] = None
    lat: Annotated[float | None, Field(ge=-90, le=90, description="latitude, WGS 84 degrees")] = None
    lon: Annotated[float | None, Field(ge=-180, le=180, description="longitude, WGS 84 degrees")] = None


class Vehicle(_Record):
    """A vehicle by its VIN, with the registered company that made it."""

    vin: VinStr
    maker: Annotated[UsccStr, Field(description="USCC of the registered company that made it")]
    model: Annotated[Annotated[str, StringConstraints(max_length=100)] | None, Field(description="model name")] = None
    category: VehicleCategory = Field("other", description="vehicle category")
    swap_capable: bool = Field(False, description="takes packs at swap stations")


class CompanyBatch(BaseModel):
    companies: Annotated[list[Company], Field(min_length=1, max_length=10_000, description="1 to 10,000 companies")]


class StationBatch(BaseModel):
    stations: Annotated[list[Station], Field(min_length=1, max_length=10_000, description="1 to 10,000 stations")]


class VehicleBatch(BaseModel):
    vehicles: Annotated[list[Vehicle], Field(min_length=1, max_length=10_000, description="1 to 10,000 vehicles")]


class UpsertResult(BaseModel):
    """What an upsert did: ``upserted`` is every record sent, the sum of the other three."""

    upserted: int = Field(description="records sent")
    created: int = Field(description="records new to the registry")
    changed: int = Field(description="records that differed: the old version is kept in the history")
    unchanged: int = Field(description="records identical to the stored ones")

    @classmethod
    def of(cls, counts: dict[str, int]) -> UpsertResult:
        created, changed, unchanged = (counts.get(k, 0) for k in ("created", "changed", "unchanged"))
        return cls(upserted=created + changed + unchanged, created=created, changed=changed, unchanged=unchanged)

    def __add__(self, other: UpsertResult) -> UpsertResult:
        return UpsertResult.of({k: getattr(self, k) + getattr(other, k) for k in ("created", "changed", "unchanged")})


# --- answers: registry records as stored (not re-validated: the store is the record) ---------


class LicenceRecord(BaseModel):
    scope: str
    valid_from: date
    valid_to: date | None
    batch: int | None


class _Version(BaseModel):
    """When a record held, and who registered it: ``valid_to`` null is the current record. The
    first version's ``valid_from`` is when the registry first heard of it (nothing earlier is
    known); null for records registered before the registry kept history."""

    valid_from: datetime | None
    valid_to: datetime | None
    changed_by: str | None


class _CompanyFields(BaseModel):
    """What a company record says, in the current record and in each superseded version alike."""

    name: str
    name_en: str | None = Field(None, description="its name in English, when it gave one")
    roles: list[str]
    province: str | None
    maker_code: str | None
    imports_for: list[str] = []
    licences: list[LicenceRecord]


class CompanyVersion(_Version, _CompanyFields):
    pass


class CompanyRecord(_CompanyFields):
    uscc: str
    history: list[CompanyVersion] | None = None


class StationVersion(_Version):
    operator: str | None
    province: str | None
    name: str | None
    lat: float | None
    lon: float | None


class StationRecord(BaseModel):
    id: str
    operator: str | None
    province: str | None
    name: str | None
    lat: float | None
    lon: float | None
    history: list[StationVersion] | None = None


class VehicleVersion(_Version):
    maker: str | None
    model: str | None
    category: str | None
    swap_capable: bool | None


class VehicleRecord(BaseModel):
    vin: str
    maker: str | None
    model: str | None
    category: str | None
    swap_capable: bool | None
    registered: bool | None
    sold_at: datetime | None
    scrapped_at: datetime | None
    exported_at: datetime | None = None
    export_destination: str | None = Field(None, description="ISO 3166-1 alpha-2 country it was exported to")
    history: list[VehicleVersion] | None = None


class CompanyPage(BaseModel):
    items: list[CompanyRecord]
    next_after: str | None


class StationPage(BaseModel):
    items: list[StationRecord]
    next_after: str | None


# --- the registry as it was at a moment (for judging events by the record valid then) --------


class StationAt(_Version):
    """A station's record at a moment. ``registered_then`` is false when the moment precedes the
    first registration: the answer is then the earliest record, the best knowledge there is."""

    station: str
    at: datetime
    operator: str | None
    province: str | None
    registered_then: bool


class CompanyAt(_Version):
    """A company's record at a moment; ``licences`` are those of that record whose window holds
    the moment's date (in the moment's own offset)."""

    uscc: str
    at: datetime
    name: str | None
    roles: list[str]
    province: str | None
    licences: list[LicenceRecord]
    registered_then: bool
