// Every audit entry in chain order (writer, then position), to re-derive each writer's chain.
// mode: read
// params: none
// returns: id, at, key_id, role, company, method, path, status, battery, events, note, writer, seq, prev, hash
MATCH (a:AuditEntry)
WHERE a.writer IS NOT NULL
  AND a.seq IS NOT NULL
RETURN a.id AS id, a.at AS at, a.key_id AS key_id, a.role AS role, a.company AS company, a.method AS method,
       a.path AS path, a.status AS status, a.battery AS battery, a.events AS events, a.note AS note, a.writer AS writer,
       a.seq AS seq, a.prev AS prev, a.hash AS hash
ORDER BY a.writer, a.seq
