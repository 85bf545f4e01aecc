"""Liveness and readiness, apart: a dead process is not a cold database."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import DbDep
from app.services.store import apply_schema

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is alive; says nothing about the database."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(db: DbDep) -> dict[str, str]:
    """Neo4j answers (and the schema is in place); 503 with Retry-After otherwise."""
    db.ping()
    if not db.schema_applied:
        apply_schema(db)
    return {"status": "ready", "database": db.name}
