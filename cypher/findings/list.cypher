// A page of stored findings, filtered, oldest problem first (since, then id), with the last sweep.
// Every filter is optional (null): statuses, rules, provinces, company, battery, first seen at or after,
// since within [since_from, since_until].
// mode: read
// params: statuses: list[str] or null, rules: list[str] or null, provinces: list[str] or null, company: str or null, battery: str or null, seen_since: datetime or null, since_from: datetime or null, since_until: datetime or null, skip: int, limit: int
// returns: finding (map of the Finding's properties), swept_at (datetime or null)
OPTIONAL MATCH (f:FindingFeed {id: 'findings'})
WITH f.swept_at AS swept_at
MATCH (x:Finding)
WHERE ($statuses IS NULL OR x.status IN $statuses)
  AND ($rules IS NULL OR x.rule IN $rules)
  AND ($provinces IS NULL OR x.province IN $provinces)
  AND ($company IS NULL OR x.company = $company)
  AND ($battery IS NULL OR x.battery = $battery)
  AND ($seen_since IS NULL OR x.first_seen >= $seen_since)
  AND ($since_from IS NULL OR x.since >= $since_from)
  AND ($since_until IS NULL OR x.since <= $since_until)
RETURN properties(x) AS finding, swept_at
ORDER BY x.since, x.id
SKIP $skip
LIMIT $limit
