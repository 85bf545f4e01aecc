// The verifier walks every writer's chain in order.
// mode: schema
// params: none
// returns: nothing
CREATE INDEX audit_writer_seq IF NOT EXISTS FOR (a:AuditEntry) ON (a.writer, a.seq)
