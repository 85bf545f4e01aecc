// All API keys without their hashes, newest first.
// mode: read
// params: none
// returns: id, role, company, provinces (list[str] or null), name, created_at, revoked_at, expires_at
MATCH (k:ApiKey)
RETURN k.id AS id, k.role AS role, k.company AS company, k.provinces AS provinces, k.name AS name, k.created_at AS created_at,
       k.revoked_at AS revoked_at, k.expires_at AS expires_at
ORDER BY created_at DESC
