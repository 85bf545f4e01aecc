"""Administration: integrity checkpoints."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import DbDep
from app.services import integrity
from app.services.integrity import Checkpoint

router = APIRouter(prefix="/v1/admin", tags=["admin"])


@router.post("/checkpoints")
def take_checkpoint(db: DbDep) -> Checkpoint:
    """A Merkle root over every battery's event chain; export it with the CLI to check it later."""
    return integrity.take_checkpoint(db)


@router.get("/checkpoints")
def list_checkpoints(db: DbDep) -> list[Checkpoint]:
    """Checkpoints taken so far, newest first."""
    return integrity.list_checkpoints(db)
