// A reporter's own batteries in code order after a cursor: those its company has held or reported on (a reporter's read right), found from the company's side so the work is its own data, not the whole store; filtered as the list is.
// mode: read
// params: company: str, after: str, maker: str or null, level: str or null, status: str or null, chemistry: str or null, limit: int
// returns: code, level, maker_code, status, status_since, chemistry, current_vin, current_holder
CALL {
  MATCH (:Company {uscc: $company})<-[:HELD_BY]-(b:Battery)
  RETURN b
  UNION
  MATCH (:Event {reporter: $company})-[:ABOUT]->(b:Battery)
  RETURN b
}
WITH b
WHERE b.code > $after
  AND ($maker IS NULL OR b.maker_code = $maker)
  AND ($level IS NULL OR b.level = $level)
  AND ($status IS NULL OR b.status = $status)
  AND ($chemistry IS NULL OR b.chemistry = $chemistry)
RETURN b.code AS code,
       b.level AS level,
       b.maker_code AS maker_code,
       b.status AS status,
       b.status_since AS status_since,
       b.chemistry AS chemistry,
       b.current_vin AS current_vin,
       b.current_holder AS current_holder
ORDER BY code
LIMIT $limit
