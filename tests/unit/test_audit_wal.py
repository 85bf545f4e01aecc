"""The audit trail's write-ahead file, without a database: group commit, chain order, who may recover a file."""

from __future__ import annotations

import threading
from pathlib import Path

from app.security.audit_chain import GENESIS, entry_hash
from app.security.audit_wal import Wal, orphan_segments, read_segment


def test_concurrent_entries_share_fsyncs_and_land_in_chain_order(tmp_path: Path) -> None:
    wal = Wal(tmp_path, segment_bytes=1 << 20)
    sealed: list[dict[str, object]] = []
    lock = threading.Lock()

    def work(n: int) -> None:
        for i in range(50):
            entry = wal.append({"id": f"{n}-{i}", "at": "2026-01-01T00:00:00.000000+00:00"})
            with lock:
                sealed.append(entry)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    path, size = wal.position()
    assert path is not None
    lines = read_segment(path.read_bytes(), path.name)
    assert len(lines) == len(sealed) == 800 and size == path.stat().st_size
    assert wal.fsyncs < 800  # concurrent appends were grouped
    prev = GENESIS
    for seq, entry in enumerate(lines, 1):
        assert entry["seq"] == seq and entry["prev"] == prev and entry_hash(entry) == entry["hash"]
        prev = entry["hash"]
    assert list(orphan_segments(tmp_path)) == []  # held by a live writer
    wal.close(shipped=None)
    orphans = list(orphan_segments(tmp_path))  # let go, not shipped: anyone may recover it now
    assert [(p.name, len(e)) for p, e in orphans] == [(path.name, 800)]
    assert not path.exists()  # deleted once the caller moved on (after shipping)


def test_a_torn_last_line_is_left_out() -> None:
    assert read_segment(b'{"a":1}\n{"b":', "x") == [{"a": 1}]
