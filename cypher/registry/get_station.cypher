// One swap station.
// mode: read
// params: id: str
// returns: id, operator, province, name, lat, lon
MATCH (s:SwapStation {id: $id})
RETURN s.id AS id,
       s.operator AS operator,
       s.province AS province,
       s.name AS name,
       s.location.latitude AS lat,
       s.location.longitude AS lon
