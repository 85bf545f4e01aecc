// Swap stations in id order after a cursor, optionally by operator and province.
// mode: read
// params: after: str, operator: str or null, province: str or null, limit: int
// returns: id, operator, province, name, lat, lon
MATCH (s:SwapStation)
WHERE s.id > $after
  AND ($operator IS NULL OR s.operator = $operator)
  AND ($province IS NULL OR s.province = $province)
RETURN s.id AS id,
       s.operator AS operator,
       s.province AS province,
       s.name AS name,
       s.location.latitude AS lat,
       s.location.longitude AS lon
ORDER BY id
LIMIT $limit
