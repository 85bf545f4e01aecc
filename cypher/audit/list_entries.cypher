// Audit entries in a time window, optionally for one key or one battery, newest first.
// mode: read
// params: since: datetime, until: datetime, key_id: str or null, battery: str or null, limit: int
// returns: id, at, key_id, role, company, method, path, status, battery, events, note, writer, seq, prev, hash
MATCH (a:AuditEntry)
WHERE a.at >= $since
  AND a.at < $until
  AND ($key_id IS NULL OR a.key_id = $key_id)
  AND ($battery IS NULL OR a.battery = $battery)
RETURN a.id AS id, a.at AS at, a.key_id AS key_id, a.role AS role, a.company AS company, a.method AS method,
       a.path AS path, a.status AS status, a.battery AS battery, a.events AS events, a.note AS note, a.writer AS writer,
       a.seq AS seq, a.prev AS prev, a.hash AS hash
ORDER BY at DESC
LIMIT $limit
