"""The verifiable log: its signed head, public key and RFC 9162 proofs (docs/integrity.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.auth import ADMITTED, Admitted
from app.api.deps import DbDep, SigningDep
from app.api.params import BatteryCodePath
from app.errors import NotFound
from app.repositories import ledger as repo
from app.schemas.ledger import ConsistencyProof, InclusionProof, ProofBundle, PublicKey, TreeHead
from app.security import check_battery_access
from app.services import ledger

router = APIRouter(prefix="/v1", tags=["log"])


@router.get("/log/head", dependencies=ADMITTED)
def get_head(db: DbDep, signing: SigningDep) -> TreeHead:
    """The log's size and root, signed now: keep it, and later ask for a consistency proof from it."""
    return ledger.head(db, signing.signer)


@router.get("/log/public-key")
def get_public_key(signing: SigningDep) -> PublicKey:
    """The key every head and receipt is signed with (no API key needed: anyone may verify)."""
    return PublicKey(key_id=signing.signer.key_id, public_key_pem=signing.signer.public_pem)


@router.get("/log/proof/inclusion", responses={404: {"description": "no such event (or not the reporter's)"}})
def get_inclusion(
    db: DbDep,
    signing: SigningDep,
    who: Admitted,
    event_id: Annotated[str, Query(min_length=1, max_length=200)],
    tree_size: Annotated[int | None, Query(ge=1, description="a tree size held earlier; default the current")] = None,
) -> InclusionProof:
    """The event's inclusion in the signed tree of ``tree_size``; a reporter asks only of its own events."""
    if who.role == "reporter":
        found = repo.entries(db, [event_id])
        if not found or found[0].reporter != who.company:
            raise NotFound(f"event {event_id} is not one of {who.company}'s stored events")
    return ledger.inclusion(db, signing.signer, event_id, tree_size)


@router.get("/log/proof/consistency", dependencies=ADMITTED)
def get_consistency(
    db: DbDep,
    signing: SigningDep,
    first: Annotated[int, Query(alias="from", ge=0, description="the size of the head kept earlier")],
    second: Annotated[int | None, Query(alias="to", ge=0, description="default the current size")] = None,
) -> ConsistencyProof:
    """Proof that the log at ``to`` extends the log at ``from``: nothing recorded by then was changed."""
    return ledger.consistency(db, signing.signer, first, second)


@router.get("/batteries/{code}/proof", tags=["trace"])
def get_proof_bundle(code: BatteryCodePath, db: DbDep, signing: SigningDep, who: Admitted) -> ProofBundle:
    """The battery's events, their chain and their inclusion in one signed head, for the offline verifier."""
    check_battery_access(db, who, code)
    return ledger.battery_bundle(db, signing.signer, code)
