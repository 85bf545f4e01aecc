"""Small hand-built worlds for tests: valid identifiers, registries, and event builders."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from app.db import Database
from app.identifiers import make_battery_code, make_uscc, make_vin
from app.schemas.registry import Company, Station, Vehicle
from app.services import registry

CST = timezone(timedelta(hours=8))
T0 = datetime(2024, 3, 1, 9, 0, tzinfo=CST)


def uscc(n: int) -> str:
    return make_uscc(f"913101{n:02d}{'M' if n % 2 else 'A'}{n:07d}0"[:17])


def vin(n: int) -> str:
    return make_vin(f"LSV{n:05d}0R{n:07d}"[:17])


def pack(n: int, maker: str = "CAT", chemistry: str = "B") -> str:
    return make_battery_code(maker, "pack", chemistry, "01", "TRACE01", date(2023, 5, 17), f"{n:07d}")


def module(n: int, maker: str = "CAT") -> str:
    return make_battery_code(maker, "module", "B", "01", "TRACE01", date(2023, 5, 16), f"{n:07d}")


MAKER = uscc(1)
AUTOMAKER = uscc(2)
REPAIRER = uscc(3)
DISMANTLER = uscc(4)
RECYCLER = uscc(5)
WORKSHOP = uscc(6)
SWAP_OP = uscc(7)
SECOND_LIFE = uscc(8)
STATION_A = "ST0001"
STATION_B = "ST0002"


def seed_registry(db: Database, vehicles: int = 3) -> None:
    companies = [
        Company(uscc=MAKER, name="Cathay Cells", roles=["battery_maker"], province="320000", maker_code="CAT"),
        Company(uscc=AUTOMAKER, name="Lotus Motors", roles=["automaker"], province="310000"),
        Company(uscc=REPAIRER, name="Quick Repair", roles=["repairer"], province="310000"),
        Company(
            uscc=DISMANTLER,
            name="Scrap Co",
            roles=["dismantler"],
            province="310000",
            licences=[{"scope": "dismantling", "valid_from": date(2019, 1, 1)}],  # type: ignore[list-item]
        ),
        Company(
            uscc=RECYCLER,
            name="Green Metals",
            roles=["recycler"],
            province="430000",
            licences=[{"scope": "recycling", "valid_from": date(2018, 9, 1), "batch": 1}],  # type: ignore[list-item]
        ),
        Company(uscc=WORKSHOP, name="Back Alley Batteries", roles=["recycler"], province="440000"),
        Company(uscc=SWAP_OP, name="SwapNet", roles=["swap_operator"], province="110000"),
        Company(
            uscc=SECOND_LIFE,
            name="Second Wind Storage",
            roles=["second_life"],
            province="320000",
            licences=[{"scope": "second_life", "valid_from": date(2020, 1, 1), "batch": 2}],  # type: ignore[list-item]
        ),
    ]
    registry.merge_companies(db, companies, changed_by="test")
    registry.merge_stations(
        db,
        [
            Station(id=STATION_A, operator=SWAP_OP, province="110000", name="A", lat=39.9, lon=116.4),
            Station(id=STATION_B, operator=SWAP_OP, province="110000", name="B", lat=39.8, lon=116.3),
        ],
        changed_by="test",
    )
    registry.merge_vehicles(
        db,
        [
            Vehicle(vin=vin(i), maker=AUTOMAKER, model="L1", category="passenger_bev", swap_capable=i % 2 == 0)
            for i in range(1, vehicles + 1)
        ],
        changed_by="test",
    )


class Events:
    """Builds contract-shaped event dicts with unique ids and increasing times."""

    def __init__(self, prefix: str = "ev") -> None:
        self.prefix = prefix
        self.n = 0

    def _base(self, kind: str, reporter: str, at: datetime, **fields: Any) -> dict[str, Any]:
        self.n += 1
        return {
            "event_id": f"{self.prefix}-{self.n:04d}",
            "type": kind,
            "occurred_at": at.isoformat(),
            "reporter": reporter,
            **fields,
        }

    def produced(self, battery: str, at: datetime = T0, reporter: str = MAKER, **kw: Any) -> dict[str, Any]:
        fields = {"battery": battery, "chemistry": "LFP", "mass_kg": 420.0, "capacity_kwh": 60.0, **kw}
        return self._base("produced", reporter, at, **fields)

    def shipped(self, battery: str, to: str, at: datetime, reporter: str) -> dict[str, Any]:
        return self._base("shipped", reporter, at, battery=battery, to=to)

    def received(self, battery: str, sender: str, at: datetime, reporter: str) -> dict[str, Any]:
        return self._base("received", reporter, at, battery=battery, **{"from": sender})

    def installed(self, battery: str, vehicle: str, at: datetime, reporter: str = AUTOMAKER) -> dict[str, Any]:
        return self._base("installed", reporter, at, battery=battery, vehicle=vehicle)

    def removed(self, battery: str, vehicle: str, at: datetime, reporter: str, reason: str) -> dict[str, Any]:
        return self._base("removed", reporter, at, battery=battery, vehicle=vehicle, reason=reason)

    def swapped(self, vehicle: str, station: str, out: str, into: str, at: datetime) -> dict[str, Any]:
        return self._base("swapped", SWAP_OP, at, vehicle=vehicle, station=station, battery_out=out, battery_in=into)

    def sold(self, vehicle: str, at: datetime, reporter: str = AUTOMAKER) -> dict[str, Any]:
        return self._base("vehicle_sold", reporter, at, vehicle=vehicle)

    def scrapped(self, vehicle: str, at: datetime, reporter: str = DISMANTLER) -> dict[str, Any]:
        return self._base("vehicle_scrapped", reporter, at, vehicle=vehicle)

    def exported(
        self, vehicle: str, at: datetime, destination: str = "TH", reporter: str = AUTOMAKER
    ) -> dict[str, Any]:
        return self._base("vehicle_exported", reporter, at, vehicle=vehicle, destination=destination)

    def repaired(self, battery: str, at: datetime, reporter: str = REPAIRER) -> dict[str, Any]:
        return self._base("repaired", reporter, at, battery=battery)

    def repurposed(
        self, battery: str, at: datetime, application: str, new_code: str | None = None, **kw: Any
    ) -> dict[str, Any]:
        fields: dict[str, Any] = {"battery": battery, "application": application, **kw}
        if new_code:
            fields["new_code"] = new_code
        return self._base("repurposed", SECOND_LIFE, at, **fields)

    def health(
        self,
        battery: str,
        at: datetime,
        reporter: str,
        soh_pct: float = 92.0,
        capacity_kwh: float = 55.0,
        cycle_count: int = 300,
        method: str = "bms_readout",
        **kw: Any,
    ) -> dict[str, Any]:
        fields = {"soh_pct": soh_pct, "capacity_kwh": capacity_kwh, "cycle_count": cycle_count, "method": method}
        return self._base("health_measured", reporter, at, battery=battery, **fields, **kw)

    def recycled(self, battery: str, at: datetime, reporter: str = RECYCLER) -> dict[str, Any]:
        recovered = {"li": 5.0, "co": 0.0, "ni": 0.0}
        return self._base("recycled", reporter, at, battery=battery, input_mass_kg=420.0, recovered=recovered)

    def correction(self, corrects: str, at: datetime, reporter: str, reason: str = "did_not_occur") -> dict[str, Any]:
        return self._base("correction", reporter, at, corrects=corrects, reason=reason)


def day(n: int) -> datetime:
    return T0 + timedelta(days=n)


def first_life(ev: Events, battery: str, vehicle: str) -> list[dict[str, Any]]:
    """Produced, shipped to the automaker, received, installed, vehicle sold."""
    return [
        ev.produced(battery, day(0)),
        ev.shipped(battery, AUTOMAKER, day(1), MAKER),
        ev.received(battery, MAKER, day(3), AUTOMAKER),
        ev.installed(battery, vehicle, day(10)),
        ev.sold(vehicle, day(20)),
    ]


def post_first_life(client: Any, db: Database) -> list[dict[str, Any]]:
    """The registry, then pack(1) through its first life (MAKER to AUTOMAKER, into vin(1)), posted."""
    seed_registry(db)
    events = first_life(Events("life"), pack(1), vin(1))
    assert client.post("/v1/events", json={"events": events}).status_code == 200
    return events


def trace_of(client: Any, code: str) -> dict[str, Any]:
    """A battery's trace as the API answers it (200 asserted)."""
    res = client.get(f"/v1/batteries/{code}/trace")
    assert res.status_code == 200, res.text
    data: dict[str, Any] = res.json()
    return data
