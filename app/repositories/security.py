"""The API-key and access queries (``cypher/security/``), answering in typed rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.db import Database
from app.schemas.admin import ApiKey


@dataclass(frozen=True)
class KeyRecord:
    """What authentication needs of a stored key (``security.get_key``): the hash, never the secret."""

    id: str
    hash: str
    role: str
    company: str | None
    name: str
    revoked_at: datetime | None
    expires_at: datetime | None = None
    provinces: list[str] | None = None


def create_key(
    db: Database,
    *,
    key_id: str,
    secret_hash: str,
    role: str,
    company: str | None,
    name: str,
    created_at: datetime,
    expires_at: datetime | None = None,
    provinces: list[str] | None = None,
) -> str:
    """Store a new key; an id already taken is refused by the ``api_key_id_unique`` constraint."""
    rows = db.write(
        "security.create_key",
        id=key_id,
        hash=secret_hash,
        role=role,
        company=company,
        provinces=provinces,
        name=name,
        created_at=created_at,
        expires_at=expires_at,
    )
    return str(rows[0]["id"])


def get_key(db: Database, key_id: str) -> KeyRecord | None:
    rows = db.read("security.get_key", id=key_id)
    return KeyRecord(**rows[0]) if rows else None


def list_keys(db: Database) -> list[ApiKey]:
    return [ApiKey(**row) for row in db.read("security.list_keys")]


def revoke_key(db: Database, key_id: str, at: datetime) -> bool:
    """Whether the key exists; an earlier revocation time is kept."""
    return bool(db.write("security.revoke_key", id=key_id, at=at))


def company_knows_battery(db: Database, code: str, company: str | None) -> bool | None:
    """Whether the company held or reported on the battery; None when the battery is unknown."""
    rows = db.read("security.company_knows_battery", code=code, company=company)
    return bool(rows[0]["allowed"]) if rows else None


def battery_in_provinces(db: Database, code: str, provinces: list[str]) -> bool | None:
    """Whether the battery is within one of the provinces; None when the battery is unknown."""
    rows = db.read("security.battery_in_provinces", code=code, provinces=provinces)
    return bool(rows[0]["within"]) if rows else None


def vehicle_in_provinces(db: Database, vin: str, provinces: list[str]) -> bool | None:
    """Whether the vehicle is within one of the provinces; None when the vehicle is unknown."""
    rows = db.read("security.vehicle_in_provinces", vin=vin, provinces=provinces)
    return bool(rows[0]["within"]) if rows else None


def station_in_provinces(db: Database, station_id: str, provinces: list[str]) -> bool | None:
    """Whether the station is registered in one of the provinces; None when the station is unknown."""
    rows = db.read("security.station_in_provinces", id=station_id, provinces=provinces)
    return bool(rows[0]["within"]) if rows else None
