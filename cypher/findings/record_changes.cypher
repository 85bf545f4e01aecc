// Append changes to the findings feed at the next positions (the caller holds the feed's lock).
// mode: write
// params: rows: list[{finding, kind, at, by, role, status, previous, note, shared, events, resolved_by}]
// returns: first (int, the first position given), last (int)
MATCH (f:FindingFeed {id: 'findings'})
WITH f, f.seq AS base
SET f.seq = base + size($rows)
WITH base
UNWIND range(0, size($rows) - 1) AS i
WITH base, i, $rows[i] AS row
MATCH (x:Finding {id: row.finding})
CREATE (c:FindingChange {seq: base + i + 1, finding: row.finding, kind: row.kind, at: row.at, by: row.by,
                         role: row.role, status: row.status, previous: row.previous, note: row.note,
                         shared: row.shared, events: row.events, resolved_by: row.resolved_by,
                         rule: x.rule, battery: x.battery, company: x.company, province: x.province})
RETURN min(c.seq) AS first, max(c.seq) AS last
