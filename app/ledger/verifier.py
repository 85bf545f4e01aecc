#!/usr/bin/env python3
"""BatteryTrace's offline verifier: receipts, signed tree heads, inclusion and consistency proofs.

This one file needs only Python 3.11 and the ``cryptography`` package, and no access to the
platform, so a company, a court or anyone else can check what the platform signed. The platform
imports its hashing from here too: what it computes and what this file checks are the same code.

The log is an RFC 9162 (section 2.1) Merkle tree over SHA-256: a leaf is ``H(0x00 || record hash)``
and an inner node ``H(0x01 || left || right)``. An event's record hash covers everything stored
for it: its payload as sent, when the platform recorded it and whether it was imported.

Run ``python verifier.py --help`` for the commands; each prints "valid" or the reason it is not
and exits 0 or 1.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HEAD_CONTEXT = "batterytrace-log-head/v1"
RECEIPT_CONTEXT = "batterytrace-receipt/v1"
EMPTY_ROOT = hashlib.sha256(b"").hexdigest()


class ProofError(ValueError):
    """A proof, head, receipt or bundle that does not verify; the message says why."""


# --- hashing -------------------------------------------------------------------------------------


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: the one byte form everything is hashed and signed in."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def content_hash(payload: Mapping[str, Any]) -> str:
    """The hash of an event as its reporter sent it (what a resend is compared with)."""
    return hashlib.sha256(canonical_json(payload)).hexdigest()


def recorded_text(recorded_at: datetime | str) -> str:
    """``recorded_at`` as hashed: UTC, microseconds, so the stored datetime reproduces it exactly."""
    moment = datetime.fromisoformat(recorded_at) if isinstance(recorded_at, str) else recorded_at
    if moment.tzinfo is None:
        raise ProofError(f"recorded_at {recorded_at!r} has no time zone")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def record_hash(payload: Mapping[str, Any], recorded_at: datetime | str, imported: bool) -> str:
    """The hash of everything stored for an event: what the chains link and the log's leaves carry."""
    record = {"event": dict(payload), "imported": bool(imported), "recorded_at": recorded_text(recorded_at)}
    return hashlib.sha256(canonical_json(record)).hexdigest()


def leaf_hash(record: str) -> str:
    """RFC 9162 leaf hash of a record hash (hex in, hex out)."""
    return hashlib.sha256(b"\x00" + bytes.fromhex(record)).hexdigest()


def node_hash(left: str, right: str) -> str:
    """RFC 9162 interior node hash (hex in, hex out)."""
    return hashlib.sha256(b"\x01" + bytes.fromhex(left) + bytes.fromhex(right)).hexdigest()


def chain_link(previous: str | None, record: str) -> str:
    """One step of a battery's hash chain: sha256(previous link, or 64 zeros, + record hash)."""
    return hashlib.sha256(((previous or "0" * 64) + record).encode()).hexdigest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def root_of(leaves: Sequence[str]) -> str:
    """The Merkle tree hash of a list of leaf hashes (RFC 9162 MTH)."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = _split(len(leaves))
    return node_hash(root_of(leaves[:k]), root_of(leaves[k:]))


# --- proofs (RFC 9162 sections 2.1.3.2 and 2.1.4.2) ------------------------------------------------


def root_from_inclusion(index: int, size: int, leaf: str, path: Sequence[str]) -> str:
    """The root an inclusion path leads to from a leaf; raises when the path cannot fit the tree."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of size {size}")
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            raise ProofError("inclusion path is longer than the tree allows")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("inclusion path is shorter than the tree requires")
    return r


def verify_inclusion(index: int, size: int, leaf: str, path: Sequence[str], root: str) -> None:
    if root_from_inclusion(index, size, leaf, path) != root:
        raise ProofError(f"leaf {index} is not in the tree of size {size} with root {root[:16]}...")


def verify_consistency(size1: int, size2: int, root1: str, root2: str, path: Sequence[str]) -> None:
    """Check that the tree of size2 extends the tree of size1 (append-only), from a consistency path."""
    if not 0 <= size1 <= size2:
        raise ProofError(f"sizes {size1} and {size2}: the first must not exceed the second")
    if size1 == size2:
        if path or root1 != root2:
            raise ProofError("equal sizes need an empty proof and equal roots")
        return
    if size1 == 0:
        if path:
            raise ProofError("a proof from the empty tree must be empty")
        return
    nodes = list(path)
    if size1 & (size1 - 1) == 0:
        nodes.insert(0, root1)
    if not nodes:
        raise ProofError("consistency path is empty")
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = nodes[0]
    for c in nodes[1:]:
        if sn == 0:
            raise ProofError("consistency path is longer than the trees allow")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("consistency path is shorter than the trees require")
    if fr != root1:
        raise ProofError(f"the proof does not lead to the first root ({root1[:16]}...): not an extension")
    if sr != root2:
        raise ProofError(f"the proof does not lead to the second root ({root2[:16]}...)")


# --- signatures ----------------------------------------------------------------------------------


def head_message(size: int, root: str, timestamp: str) -> bytes:
    """The bytes a tree head's signature covers."""
    return f"{HEAD_CONTEXT}\n{size}\n{root}\n{timestamp}\n".encode()


def receipt_message(body: Mapping[str, Any]) -> bytes:
    return RECEIPT_CONTEXT.encode() + b"\n" + canonical_json(body)


def key_id_of(public_raw: bytes) -> str:
    return hashlib.sha256(public_raw).hexdigest()[:16]


def load_public_key(pem: bytes | str) -> Any:
    """An Ed25519 public key from its PEM text (what ``GET /v1/log/public-key`` answers)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    key = load_pem_public_key(pem.encode() if isinstance(pem, str) else pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ProofError("the public key is not an Ed25519 key")
    return key


def _check_signature(public_key: Any, signature: str, message: bytes, what: str) -> None:
    from cryptography.exceptions import InvalidSignature

    try:
        public_key.verify(base64.b64decode(signature, validate=True), message)
    except (InvalidSignature, ValueError) as exc:
        raise ProofError(f"{what}: the signature does not verify with this public key") from exc


def verify_head(head: Mapping[str, Any], public_key: Any) -> None:
    """A signed tree head: its signature over size, root and time."""
    try:
        size, root, at, sig = int(head["tree_size"]), str(head["root_hash"]), str(head["timestamp"]), head["signature"]
    except (KeyError, TypeError, ValueError) as exc:
        raise ProofError(f"tree head is missing or mistypes a field: {exc}") from exc
    _check_signature(public_key, str(sig), head_message(size, root, at), f"tree head of size {size}")


# --- what a company, a court or an auditor checks ---------------------------------------------------


def verify_receipt(receipt: Mapping[str, Any], public_key: Any, events: Sequence[Mapping[str, Any]] = ()) -> int:
    """A capture receipt: its signature, its head's, each entry's record, leaf and (where given) inclusion.

    Each entry carries the event as accepted (canonical); ``events``, when given, are events the
    checker kept in that same form, and each must be the one accepted. Returns the entries checked."""
    head = receipt["tree_head"]
    verify_head(head, public_key)
    body = {k: receipt[k] for k in ("entries", "tree_head")}
    _check_signature(public_key, str(receipt.get("signature", "")), receipt_message(body), "receipt")
    entries = {e["event_id"]: e for e in receipt["entries"]}
    for entry in receipt["entries"]:
        _check_entry(entry, head)
    for payload in events:
        entry = entries.get(str(payload.get("event_id")))
        if entry is None:
            raise ProofError(f"event {payload.get('event_id')} is not in this receipt")
        _check_entry(entry, head, payload)
    return len(entries)


def _check_entry(entry: Mapping[str, Any], head: Mapping[str, Any], payload: Mapping[str, Any] | None = None) -> None:
    """One logged event: its record (when the payload is at hand), its leaf, its place in the head's tree."""
    eid = entry["event_id"]
    payload = payload if payload is not None else entry.get("payload")
    if payload is not None:
        if str(payload.get("event_id")) != eid:
            raise ProofError(f"event {eid}: the payload is of event {payload.get('event_id')}")
        if content_hash(payload) != entry["content_hash"]:
            raise ProofError(f"event {eid}: the payload differs from the one that was accepted")
        if record_hash(payload, entry["recorded_at"], entry["imported"]) != entry["record_hash"]:
            raise ProofError(f"event {eid}: payload, recorded_at and imported do not give its record hash")
    if leaf_hash(entry["record_hash"]) != entry["leaf_hash"]:
        raise ProofError(f"event {eid}: leaf hash does not follow from its record hash")
    index, size = int(entry["index"]), int(head["tree_size"])
    if not 0 <= index < size:
        raise ProofError(f"event {eid}: index {index} is not inside the signed tree of size {size}")
    if entry.get("inclusion") is not None:
        try:
            verify_inclusion(index, size, entry["leaf_hash"], entry["inclusion"], str(head["root_hash"]))
        except ProofError as exc:
            raise ProofError(f"event {eid}: {exc}") from None


def verify_inclusion_proof(proof: Mapping[str, Any], public_key: Any) -> None:
    """An answer of ``GET /v1/log/proof/inclusion``: the head's signature and the path to its root."""
    head = proof["tree_head"]
    verify_head(head, public_key)
    verify_inclusion(int(proof["index"]), int(head["tree_size"]), proof["leaf_hash"], proof["path"], head["root_hash"])
    if "record_hash" in proof and leaf_hash(proof["record_hash"]) != proof["leaf_hash"]:
        raise ProofError("leaf hash does not follow from the record hash")


def verify_consistency_proof(proof: Mapping[str, Any], public_key: Any, first: Mapping[str, Any] | None = None) -> None:
    """An answer of ``GET /v1/log/proof/consistency``; ``first`` is a head the checker kept earlier."""
    older, newer = proof["first"], proof["second"]
    if first is not None:
        if (int(first["tree_size"]), first["root_hash"]) != (int(older["tree_size"]), older["root_hash"]):
            raise ProofError("the proof starts from another head than the one kept")
        older = first
    verify_head(older, public_key)
    verify_head(newer, public_key)
    verify_consistency(
        int(older["tree_size"]), int(newer["tree_size"]), older["root_hash"], newer["root_hash"], proof["path"]
    )


def verify_bundle(bundle: Mapping[str, Any], public_key: Any) -> int:
    """A battery's proof bundle: every event's record, its chain and its inclusion in a signed head."""
    head = bundle["tree_head"]
    verify_head(head, public_key)
    previous: str | None = None
    for position, entry in enumerate(bundle["events"], start=1):
        _check_entry(entry, head)
        if entry.get("inclusion") is None:
            raise ProofError(f"event {entry['event_id']}: the bundle carries no inclusion path")
        if int(entry["seq"]) != position:
            raise ProofError(f"event {entry['event_id']}: chain position {entry['seq']} where {position} was expected")
        previous = chain_link(previous, entry["record_hash"])
        if previous != entry["chain"]:
            raise ProofError(f"event {entry['event_id']}: its chain link does not follow from the previous one")
    if bundle.get("chain_head") not in (None, previous):
        raise ProofError("the battery's chain head differs from its last link")
    return len(bundle["events"])


# --- command line ----------------------------------------------------------------------------------


def _load(path: str) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="verify-proof", description="Check BatteryTrace receipts and proofs offline, with the log's public key."
    )
    parser.add_argument("--key", required=True, help="the log's public key (PEM file, from GET /v1/log/public-key)")
    sub = parser.add_subparsers(dest="what", required=True)
    r = sub.add_parser("receipt", help="a capture answer's receipt (or the whole capture answer)")
    r.add_argument("file")
    r.add_argument("--events", help="events kept as accepted (JSON with an 'events' list, or a list); each is matched")
    h = sub.add_parser("head", help="a signed tree head")
    h.add_argument("file")
    i = sub.add_parser("inclusion", help="an inclusion proof (GET /v1/log/proof/inclusion)")
    i.add_argument("file")
    c = sub.add_parser("consistency", help="a consistency proof (GET /v1/log/proof/consistency)")
    c.add_argument("file")
    c.add_argument("--first", help="a tree head kept earlier that the proof must start from")
    b = sub.add_parser("bundle", help="a battery's proof bundle (GET /v1/batteries/{code}/proof)")
    b.add_argument("file")
    args = parser.parse_args(argv)
    try:
        key = load_public_key(Path(args.key).read_bytes())
        doc = _load(args.file)
        if args.what == "receipt":
            receipt = doc.get("receipt", doc)
            sent = _load(args.events) if args.events else []
            events = sent.get("events", []) if isinstance(sent, dict) else sent
            n = verify_receipt(receipt, key, events)
            said = f"valid: {n} event(s) accepted into the log by tree size {receipt['tree_head']['tree_size']}"
        elif args.what == "head":
            verify_head(doc, key)
            said = f"valid: tree head of size {doc['tree_size']}, root {doc['root_hash']}"
        elif args.what == "inclusion":
            verify_inclusion_proof(doc, key)
            said = f"valid: leaf {doc['index']} is in the signed tree of size {doc['tree_head']['tree_size']}"
        elif args.what == "consistency":
            verify_consistency_proof(doc, key, _load(args.first) if args.first else None)
            said = f"valid: size {doc['second']['tree_size']} extends size {doc['first']['tree_size']}"
        else:
            n = verify_bundle(doc, key)
            said = f"valid: {n} event(s) of battery {doc.get('battery')}, chained and in the signed log"
    except ProofError as exc:
        print(f"invalid: {exc}")
        return 1
    except (KeyError, TypeError, ValueError, OSError) as exc:
        print(f"invalid: the file cannot be read as a {args.what}: {exc!r}")
        return 1
    print(said)
    return 0


if __name__ == "__main__":
    sys.exit(main())
