// The next battery codes in code order (the unique index serves the order): reproject walks the store with it.
// mode: read
// params: after: str, limit: int
// returns: code
MATCH (b:Battery)
WHERE b.code > $after
RETURN b.code AS code
ORDER BY b.code
LIMIT $limit
