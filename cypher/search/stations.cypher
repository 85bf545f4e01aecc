// Search: swap stations (public registry records) by id or name. The exact id and ids starting with $code first (the unique constraint's range index), then names containing one of $words (the text index station_name_text; the words are the query as typed and in the usual cases), then ids containing $code (station_id_text); at most $limit of each. $code is null when the query cannot be part of an id.
// mode: read
// params: code: str or null, words: list[str], limit: int
// returns: id, name, operator, operator_name, province, match
CALL {
  MATCH (s:SwapStation)
  WHERE s.id STARTS WITH $code
  RETURN s, CASE WHEN s.id = $code THEN 0 ELSE 1 END AS rank
  ORDER BY s.id
  LIMIT $limit
  UNION
  UNWIND $words AS word
  MATCH (s:SwapStation)
  WHERE s.name CONTAINS word
  RETURN s, 2 AS rank
  LIMIT $limit
  UNION
  MATCH (s:SwapStation)
  WHERE s.id CONTAINS $code AND NOT s.id STARTS WITH $code
  RETURN s, 3 AS rank
  LIMIT $limit
}
WITH s, min(rank) AS rank
OPTIONAL MATCH (o:Company {uscc: s.operator})
RETURN s.id AS id,
       s.name AS name,
       s.operator AS operator,
       o.name AS operator_name,
       s.province AS province,
       ['exact', 'prefix', 'name', 'contains'][rank] AS match
ORDER BY rank, name, id
LIMIT $limit
