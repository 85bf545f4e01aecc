"""The log's storage: hashes kept in tiles, so any proof needs a handful of reads.

A tile at level L holds up to 256 consecutive node hashes of tree level 8*L (level 0 tiles hold
the leaf hashes); tile (L, k) covers the nodes with indices [256k, 256k + 256) of that level. A
tile is written once it changes and only ever grows, so a tree of any earlier size is read from
the same tiles by ignoring what lies beyond it. Any complete subtree's hash comes from one tile:
at most 128 hashes of its level, hashed up at most seven times. (The layout follows the tiled
transparency logs; the hashing is RFC 9162's, from ``app.ledger.verifier``.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from app.ledger.verifier import EMPTY_ROOT, node_hash

HEIGHT = 8
WIDTH = 1 << HEIGHT
HASH_BYTES = 32

TileKey = tuple[int, int]
#: Reads the stored hashes of one tile (hex strings, in order); an absent tile reads as empty.
TileReader = Callable[[TileKey], list[str]]


def pack(hashes: Iterable[str]) -> bytes:
    return b"".join(bytes.fromhex(h) for h in hashes)


def unpack(blob: bytes | None) -> list[str]:
    data = bytes(blob or b"")
    return [data[i : i + HASH_BYTES].hex() for i in range(0, len(data), HASH_BYTES)]


def _reduce(hashes: list[str]) -> str:
    """The root of a perfect subtree from its bottom row (a power-of-two count)."""
    level = hashes
    while len(level) > 1:
        level = [node_hash(level[i], level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


class TornLog(ValueError):
    """The stored tiles do not hold what a tree of the recorded size needs."""


@dataclass
class TreeView:
    """The tree of ``size`` leaves as the tiles hold it; reads go through ``read`` and are kept."""

    size: int
    read: TileReader
    _tiles: dict[TileKey, list[str]] = field(default_factory=dict)

    def tile(self, key: TileKey) -> list[str]:
        if key not in self._tiles:
            self._tiles[key] = self.read(key)
        return self._tiles[key]

    def complete(self, height: int, index: int) -> str:
        """The hash of the perfect subtree of ``2**height`` leaves starting at leaf ``index * 2**height``."""
        level, rest = divmod(height, HEIGHT)
        first = index << rest
        tile = self.tile((level, first // WIDTH))
        offset = first % WIDTH
        row = tile[offset : offset + (1 << rest)]
        if len(row) != 1 << rest:
            raise TornLog(
                f"tile ({level}, {first // WIDTH}) holds {len(tile)} hashes; node {index} at height {height} "
                f"needs {offset + (1 << rest)}"
            )
        return _reduce(row)

    def hash(self, start: int, end: int) -> str:
        """RFC 9162 MTH of the leaves [start, end)."""
        n = end - start
        if n <= 0:
            return EMPTY_ROOT
        if n & (n - 1) == 0 and start % n == 0:
            return self.complete(n.bit_length() - 1, start // n)
        k = 1 << ((n - 1).bit_length() - 1)
        return node_hash(self.hash(start, start + k), self.hash(start + k, end))

    def root(self) -> str:
        return self.hash(0, self.size)

    def leaf(self, index: int) -> str:
        if not 0 <= index < self.size:
            raise TornLog(f"leaf {index} is outside the tree of size {self.size}")
        return self.complete(0, index)

    def inclusion(self, index: int) -> list[str]:
        """RFC 9162 PATH(index, D[size]), leaf to root."""
        if not 0 <= index < self.size:
            raise TornLog(f"leaf {index} is outside the tree of size {self.size}")
        return self._path(index, 0, self.size)

    def _path(self, m: int, start: int, end: int) -> list[str]:
        n = end - start
        if n == 1:
            return []
        k = 1 << ((n - 1).bit_length() - 1)
        if m < k:
            return [*self._path(m, start, start + k), self.hash(start + k, end)]
        return [*self._path(m - k, start + k, end), self.hash(start, start + k)]

    def consistency(self, first: int) -> list[str]:
        """RFC 9162 PROOF(first, D[size])."""
        if not 0 <= first <= self.size:
            raise TornLog(f"size {first} is outside 0..{self.size}")
        if first in (0, self.size):
            return []
        return self._subproof(first, 0, self.size, True)

    def _subproof(self, m: int, start: int, end: int, whole: bool) -> list[str]:
        n = end - start
        if m == n:
            return [] if whole else [self.hash(start, end)]
        k = 1 << ((n - 1).bit_length() - 1)
        if m <= k:
            return [*self._subproof(m, start, start + k, whole), self.hash(start + k, end)]
        return [*self._subproof(m - k, start + k, end, False), self.hash(start, start + k)]


def plan_reads(size: int, ask: Callable[[TreeView], object]) -> set[TileKey]:
    """The tiles a computation over the tree of ``size`` reads, found by running it on blank tiles,
    so that one query can fetch them all."""
    seen: set[TileKey] = set()

    def blank(key: TileKey) -> list[str]:
        seen.add(key)
        return ["00" * HASH_BYTES] * WIDTH

    ask(TreeView(size, blank))
    return seen


def edge_tiles(size: int) -> list[TileKey]:
    """The partly filled tile at each level: all an append reads."""
    keys: list[TileKey] = []
    level, count = 0, size
    while count:
        if count % WIDTH:
            keys.append((level, count // WIDTH))
        level, count = level + 1, count // WIDTH
    return keys


def append(size: int, leaves: list[str], tiles: Mapping[TileKey, list[str]]) -> dict[TileKey, list[str]]:
    """The tiles that change when ``leaves`` (leaf hashes) follow a tree of ``size``, whole.

    ``tiles`` holds at least the edge tiles of the tree (``edge_tiles(size)``)."""
    changed: dict[TileKey, list[str]] = {}
    level, start, new = 0, size, leaves
    while new:
        first = start // WIDTH
        held = tiles.get((level, first), []) if start % WIDTH else []
        if len(held) != start % WIDTH:
            raise TornLog(f"tile ({level}, {first}) holds {len(held)} hashes where {start % WIDTH} were expected")
        row = held + new
        completed: list[str] = []
        for offset in range(0, len(row), WIDTH):
            chunk = row[offset : offset + WIDTH]
            changed[(level, first + offset // WIDTH)] = chunk
            if len(chunk) == WIDTH:
                completed.append(_reduce(chunk))
        level, start, new = level + 1, first, completed
    return changed
