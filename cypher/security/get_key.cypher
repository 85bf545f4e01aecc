// One API key by id, for authentication.
// mode: read
// params: id: str
// returns: id, hash, role, company, provinces (list[str] or null), name, revoked_at, expires_at
MATCH (k:ApiKey {id: $id})
RETURN k.id AS id, k.hash AS hash, k.role AS role, k.company AS company, k.provinces AS provinces, k.name AS name,
       k.revoked_at AS revoked_at,
       k.expires_at AS expires_at
