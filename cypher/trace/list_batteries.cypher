// Batteries in code order after a cursor, filtered by maker code, level, status, chemistry and, for a province-limited key, its provinces (one of the battery's standing events carries one, else its reporter is registered there).
// mode: read
// params: after: str, maker: str or null, level: str or null, status: str or null, chemistry: str or null, provinces: list[str] or null, limit: int
// returns: code, level, maker_code, status, status_since, chemistry, current_vin, current_holder
MATCH (b:Battery)
WHERE b.code > $after
  AND ($maker IS NULL OR b.maker_code = $maker)
  AND ($level IS NULL OR b.level = $level)
  AND ($status IS NULL OR b.status = $status)
  AND ($chemistry IS NULL OR b.chemistry = $chemistry)
  AND ($provinces IS NULL OR EXISTS {
    MATCH (b)<-[a:ABOUT]-(e:Event)-[:REPORTED_BY]->(r:Company)
    WHERE a.role <> 'correction'
      AND coalesce(e.province, r.province) IN $provinces
      AND NOT EXISTS { (e)<-[:CORRECTS]-(:Event) }
  })
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
