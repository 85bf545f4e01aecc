// Revoke a key (kept, never deleted, so the audit trail still names it).
// mode: write
// params: id: str, at: datetime
// returns: id, revoked_at
MATCH (k:ApiKey {id: $id})
SET k.revoked_at = coalesce(k.revoked_at, $at)
RETURN k.id AS id, k.revoked_at AS revoked_at
