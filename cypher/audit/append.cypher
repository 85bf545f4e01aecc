// Append audit entries; nothing in the code base updates or deletes them.
// mode: write
// params: rows: list[{id, at, key_id, role, company, method, path, status, battery, events, note, writer, seq, prev, hash}]
// returns: nothing
UNWIND $rows AS row
CREATE (a:AuditEntry)
SET a = row,
    a.at = datetime(row.at)
