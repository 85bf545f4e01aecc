// The feed after a position: changes in order, narrowed to provinces or to one company when given.
// A company sees no regulator's note it was not meant to see (shared = false).
// mode: read
// params: after: int, provinces: list[str] or null, company: str or null, limit: int
// returns: change (map of the FindingChange's properties)
MATCH (c:FindingChange)
WHERE c.seq > $after
  AND ($provinces IS NULL OR c.province IN $provinces)
  AND ($company IS NULL OR (c.company = $company AND (c.kind <> 'note' OR c.shared)))
RETURN properties(c) AS change
ORDER BY c.seq
LIMIT $limit
