// Store a new API key (its secret only as a SHA-256 hash).
// mode: write
// params: id: str, hash: str, role: str, company: str or null, name: str, created_at: datetime
// returns: id
CREATE (k:ApiKey {id: $id, hash: $hash, role: $role, company: $company, name: $name, created_at: $created_at})
RETURN k.id AS id
