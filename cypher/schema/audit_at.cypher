// Admins read the audit trail by time window.
// mode: schema
// params: none
// returns: nothing
CREATE INDEX audit_at IF NOT EXISTS FOR (a:AuditEntry) ON (a.at)
