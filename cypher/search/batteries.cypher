// Search: batteries by their code or any part of it. The exact code and codes starting with $q come first (the unique constraint's range index, in code order), then codes containing it (the text index battery_code_text); at most $limit of each kind of match, so a short $q costs no more than a long one. Only batteries the key may read: a reporter's company has held or reported on them ($company), or, for a province-limited key, one of their standing events lies in its provinces ($provinces).
// mode: read
// params: q: str, company: str or null, provinces: list[str] or null, limit: int
// returns: code, level, status, maker_code, chemistry, current_vin, match
CALL {
  MATCH (b:Battery)
  WHERE b.code STARTS WITH $q
    AND ($company IS NULL
         OR EXISTS { (b)-[:HELD_BY]->(:Company {uscc: $company}) }
         OR EXISTS { (b)<-[:ABOUT]-(:Event {reporter: $company}) })
    AND ($provinces IS NULL OR EXISTS {
      MATCH (b)<-[a:ABOUT]-(e:Event)-[:REPORTED_BY]->(r:Company)
      WHERE a.role <> 'correction'
        AND coalesce(e.province, r.province) IN $provinces
        AND NOT EXISTS { (e)<-[:CORRECTS]-(:Event) }
    })
  RETURN b, CASE WHEN b.code = $q THEN 'exact' ELSE 'prefix' END AS match
  ORDER BY b.code
  LIMIT $limit
  UNION
  MATCH (b:Battery)
  WHERE b.code CONTAINS $q AND NOT b.code STARTS WITH $q
    AND ($company IS NULL
         OR EXISTS { (b)-[:HELD_BY]->(:Company {uscc: $company}) }
         OR EXISTS { (b)<-[:ABOUT]-(:Event {reporter: $company}) })
    AND ($provinces IS NULL OR EXISTS {
      MATCH (b)<-[a:ABOUT]-(e:Event)-[:REPORTED_BY]->(r:Company)
      WHERE a.role <> 'correction'
        AND coalesce(e.province, r.province) IN $provinces
        AND NOT EXISTS { (e)<-[:CORRECTS]-(:Event) }
    })
  RETURN b, 'contains' AS match
  LIMIT $limit
}
RETURN b.code AS code,
       b.level AS level,
       b.status AS status,
       b.maker_code AS maker_code,
       b.chemistry AS chemistry,
       b.current_vin AS current_vin,
       match
ORDER BY CASE match WHEN 'exact' THEN 0 WHEN 'prefix' THEN 1 ELSE 2 END, code
LIMIT $limit
