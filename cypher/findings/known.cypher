// The stored findings a sweep must compare with: every unresolved one, and those it found again.
// mode: read
// params: ids: list[str]
// returns: id, status, resolved (bool), digest
MATCH (x:Finding)
WHERE x.resolved_at IS NULL
RETURN x.id AS id, x.status AS status, false AS resolved, x.digest AS digest
UNION
UNWIND $ids AS id
MATCH (x:Finding {id: id})
WHERE x.resolved_at IS NOT NULL
RETURN x.id AS id, x.status AS status, true AS resolved, x.digest AS digest
