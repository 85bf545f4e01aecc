// Store sealed audit entries not stored yet: the entry id is the key, so shipping one twice (a
// restarted process re-shipping a dead writer's file) is harmless, and a stored entry is never rewritten.
// mode: write
// params: rows: list[{id, at, key_id, role, company, method, path, status, battery, events, note, writer, seq, prev, hash}]
// returns: nothing
UNWIND $rows AS row
MERGE (a:AuditEntry {id: row.id})
  ON CREATE SET a = row, a.at = datetime(row.at)
