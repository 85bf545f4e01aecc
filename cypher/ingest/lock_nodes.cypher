// Take the write lock of each node, in the given order, and leave it unchanged (the property set is
// removed in the same clause list). By element id: no index lock is taken on the way.
// mode: write
// params: ids: list[str]
// returns: nothing
UNWIND $ids AS id
MATCH (n)
WHERE elementId(n) = id
SET n.locked_by_ingest = true
REMOVE n.locked_by_ingest
