// A case's history: every change of one finding, in the feed's order.
// mode: read
// params: id: str
// returns: change (map of the FindingChange's properties)
MATCH (c:FindingChange {finding: $id})
RETURN properties(c) AS change
ORDER BY c.seq
