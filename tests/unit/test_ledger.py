"""The log's tree: tiles give RFC 9162 roots and proofs, and the verifier accepts exactly those."""

from __future__ import annotations

import hashlib
import random

import pytest

from app.ledger.tiles import WIDTH, TileKey, TornLog, TreeView, append, edge_tiles, plan_reads
from app.ledger.verifier import (
    ProofError,
    leaf_hash,
    node_hash,
    record_hash,
    root_from_inclusion,
    root_of,
    verify_consistency,
    verify_inclusion,
)


def _leaves(n: int, salt: str = "") -> list[str]:
    return [leaf_hash(hashlib.sha256(f"{salt}{i}".encode()).hexdigest()) for i in range(n)]


def _grow(sizes: list[int]) -> tuple[dict[TileKey, list[str]], list[str]]:
    """Append batches of the given sizes; the tiles must only ever be read at the edge."""
    tiles: dict[TileKey, list[str]] = {}
    leaves: list[str] = []
    for n in sizes:
        new = _leaves(n, salt=str(len(leaves)))
        edge = {k: tiles[k] for k in edge_tiles(len(leaves)) if k in tiles}
        tiles.update(append(len(leaves), new, edge))
        leaves += new
    return tiles, leaves


def _view(tiles: dict[TileKey, list[str]], size: int) -> TreeView:
    return TreeView(size, lambda key: tiles.get(key, []))


def test_rfc9162_shapes() -> None:
    a, b, c = _leaves(3)
    assert root_of([]) == hashlib.sha256(b"").hexdigest()
    assert root_of([a]) == a
    assert root_of([a, b, c]) == node_hash(node_hash(a, b), c)
    assert leaf_hash("00" * 32) == hashlib.sha256(b"\x00" + bytes(32)).hexdigest()


@pytest.mark.parametrize("batches", [[1] * 70, [255, 1, 1, 300], [256, 256], [1000, 24, 5000, 13], [65_536 + 3]])
def test_tiles_give_the_same_roots_as_the_whole_tree(batches: list[int]) -> None:
    tiles, leaves = _grow(batches)
    for size in sorted({1, 2, 3, 255, 256, 257, 511, 512, 1024, len(leaves) // 2, len(leaves)}):
        if size <= len(leaves):
            assert _view(tiles, size).root() == root_of(leaves[:size]), size


def test_every_inclusion_and_consistency_proof_verifies() -> None:
    tiles, leaves = _grow([300, 1, 400, 67])
    rng = random.Random(5)
    for size in [1, 2, 7, 256, 257, 300, 701, len(leaves)]:
        view = _view(tiles, size)
        root = view.root()
        for index in {0, size - 1, rng.randrange(size)}:
            verify_inclusion(index, size, leaves[index], view.inclusion(index), root)
        for first in {1, 2, 3, 4, 256, size // 3, size - 1, size}:
            if 0 < first <= size:
                older = _view(tiles, first).root()
                verify_consistency(first, size, older, root, view.consistency(first))


def test_a_changed_byte_or_a_wrong_place_fails() -> None:
    tiles, leaves = _grow([700])
    view = _view(tiles, 700)
    root, path = view.root(), view.inclusion(300)
    flipped = [path[0][:-1] + ("0" if path[0][-1] != "0" else "1"), *path[1:]]
    with pytest.raises(ProofError):
        verify_inclusion(300, 700, leaves[300], flipped, root)
    with pytest.raises(ProofError):
        verify_inclusion(301, 700, leaves[300], path, root)
    with pytest.raises(ProofError):
        verify_inclusion(300, 700, leaves[300], path[:-1], root)
    older = _view(tiles, 500).root()
    proof = view.consistency(500)
    with pytest.raises(ProofError):
        verify_consistency(500, 700, older, root, [*proof[:-1], leaves[0]])
    with pytest.raises(ProofError):
        verify_consistency(499, 700, older, root, proof)


def test_proofs_read_a_bounded_number_of_tiles() -> None:
    tiles, leaves = _grow([WIDTH * WIDTH + 1000])
    size = len(leaves)
    reads = plan_reads(size, lambda v: (v.inclusion(12_345), v.consistency(40_000), v.root()))
    assert 0 < len(reads) <= 12
    assert root_from_inclusion(12_345, size, leaves[12_345], _view(tiles, size).inclusion(12_345)) == root_of(leaves)


def test_a_torn_tile_is_named() -> None:
    tiles, _ = _grow([300])
    tiles[(0, 1)] = tiles[(0, 1)][:10]
    with pytest.raises(TornLog, match=r"tile \(0, 1\)"):
        append(300, _leaves(1), {k: tiles[k] for k in edge_tiles(300)})


def test_the_record_hash_covers_when_and_how_an_event_was_recorded() -> None:
    payload = {"event_id": "e1", "type": "produced"}
    base = record_hash(payload, "2026-04-02T08:00:00+08:00", False)
    assert base == record_hash(payload, "2026-04-02T00:00:00.000000+00:00", False)  # same instant
    assert base != record_hash(payload, "2026-04-02T08:00:01+08:00", False)
    assert base != record_hash(payload, "2026-04-02T08:00:00+08:00", True)
    assert base != record_hash({**payload, "note": "x"}, "2026-04-02T08:00:00+08:00", False)


def test_the_verifier_stands_alone() -> None:
    """A court gets one file: it may import the standard library and ``cryptography``, nothing of ours."""
    import ast
    import sys
    from pathlib import Path

    import app.ledger.verifier as verifier

    tree = ast.parse(Path(verifier.__file__).read_text())
    imported = {
        (node.module or "").split(".")[0] if isinstance(node, ast.ImportFrom) else alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported - {"__future__", "cryptography"} <= set(sys.stdlib_module_names), imported
