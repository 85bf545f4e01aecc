// Registry attributes of the swap stations in an analytics graph.
// mode: read
// params: ids: list[str]
// returns: id, name, operator (USCC), province, lat (float or null), lon (float or null)
UNWIND $ids AS id
MATCH (s:SwapStation {id: id})
RETURN s.id AS id,
       s.name AS name,
       s.operator AS operator,
       s.province AS province,
       s.location.latitude AS lat,
       s.location.longitude AS lon
