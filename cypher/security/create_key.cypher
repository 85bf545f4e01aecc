// Store a new API key (its secret only as a SHA-256 hash), with its expiry and its provinces when it has them.
// mode: write
// params: id: str, hash: str, role: str, company: str or null, provinces: list[str] or null, name: str, created_at: datetime, expires_at: datetime or null
// returns: id
CREATE (k:ApiKey {
  id: $id, hash: $hash, role: $role, company: $company, provinces: $provinces, name: $name, created_at: $created_at,
  expires_at: $expires_at
})
RETURN k.id AS id
