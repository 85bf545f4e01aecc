// An audit entry's id is its idempotency key when write-ahead files are shipped again.
// mode: schema
// params: none
// returns: nothing
CREATE CONSTRAINT audit_entry_id_unique IF NOT EXISTS FOR (a:AuditEntry) REQUIRE a.id IS UNIQUE
