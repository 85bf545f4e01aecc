// A deterministic set of vehicles (the first by VIN), for a bipartite projection of a chosen set.
// mode: read
// params: limit: int
// returns: vin
MATCH (v:Vehicle)
RETURN v.vin AS vin
ORDER BY v.vin
LIMIT $limit
