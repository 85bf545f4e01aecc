"""Answers of the verifiable log: signed tree heads, proofs, receipts and a battery's proof bundle.

Every hash is lowercase hex SHA-256; signatures are base64 Ed25519 over the bytes that
``app/ledger/verifier.py`` (the offline verifier) rebuilds.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class TreeHead(BaseModel):
    """The log's size and root at a moment, signed: kept by a company or a court, it fixes the log."""

    tree_size: int = Field(description="how many events the tree holds")
    root_hash: str = Field(description="RFC 9162 Merkle tree hash of the first tree_size leaves")
    timestamp: str = Field(description="when the platform signed the head (RFC 3339, UTC)")
    key_id: str = Field(description="the signing key (first 16 hex digits of SHA-256 of the raw public key)")
    signature: str = Field(description="Ed25519 over 'batterytrace-log-head/v1\\n{size}\\n{root}\\n{timestamp}\\n'")


class ReceiptEntry(BaseModel):
    event_id: str
    payload: dict[str, object] = Field(
        description="the event as accepted and hashed (canonical: normalised names, numbers and times)"
    )
    index: int = Field(description="the event's place in the log")
    content_hash: str = Field(description="SHA-256 of the event as sent (canonical JSON)")
    record_hash: str = Field(description="SHA-256 of {event, recorded_at, imported}: what is chained and logged")
    leaf_hash: str = Field(description="RFC 9162 leaf: SHA-256(0x00 || record hash)")
    recorded_at: str = Field(description="when the platform recorded the event, as hashed (UTC, microseconds)")
    imported: bool = Field(description="true for events an admin import carried with their own recorded_at")
    inclusion: list[str] | None = Field(
        None, description="inclusion path to tree_head's root (given for small batches; else ask the proof route)"
    )


class Receipt(BaseModel):
    """The platform's signed statement that these events were in its log by ``tree_head``."""

    entries: list[ReceiptEntry]
    tree_head: TreeHead
    key_id: str
    signature: str = Field(description="Ed25519 over 'batterytrace-receipt/v1\\n' + canonical JSON of entries and head")


class InclusionProof(BaseModel):
    event_id: str
    index: int
    record_hash: str
    leaf_hash: str
    path: list[str] = Field(description="RFC 9162 inclusion path, leaf to root")
    tree_head: TreeHead


class ConsistencyProof(BaseModel):
    first: TreeHead
    second: TreeHead
    path: list[str] = Field(description="RFC 9162 consistency proof from first to second")


class PublicKey(BaseModel):
    key_id: str
    algorithm: str = "Ed25519"
    public_key_pem: str


class BundleEntry(ReceiptEntry):
    seq: int = Field(description="the event's position in the battery's hash chain")
    chain: str = Field(description="the chain link: SHA-256(previous link + record hash)")


class ProofBundle(BaseModel):
    """A battery's events with their chain and their inclusion in one signed head: checkable offline."""

    battery: str
    chain_head: str | None
    events: list[BundleEntry]
    tree_head: TreeHead
