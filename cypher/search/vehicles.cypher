// Search: vehicles by their VIN or any part of it. The exact VIN and VINs starting with $q first (the unique constraint's range index), then VINs containing it (the text index vehicle_vin_text); at most $limit of each. For a province-limited key only vehicles within its provinces (one of their own standing events, or a battery installed in them, lies there).
// mode: read
// params: q: str, provinces: list[str] or null, limit: int
// returns: vin, model, maker, maker_name, current_battery, match
CALL {
  MATCH (v:Vehicle)
  WHERE v.vin STARTS WITH $q
    AND ($provinces IS NULL OR EXISTS {
      MATCH (v)<-[:INVOLVES]-(e:Event)-[:REPORTED_BY]->(r:Company)
      WHERE coalesce(e.province, r.province) IN $provinces
        AND NOT EXISTS { (e)<-[:CORRECTS]-(:Event) }
    } OR EXISTS {
      MATCH (v)<-[:INSTALLED_IN]-(:Battery)<-[a:ABOUT]-(e:Event)-[:REPORTED_BY]->(r:Company)
      WHERE a.role <> 'correction'
        AND coalesce(e.province, r.province) IN $provinces
        AND NOT EXISTS { (e)<-[:CORRECTS]-(:Event) }
    })
  RETURN v, CASE WHEN v.vin = $q THEN 'exact' ELSE 'prefix' END AS match
  ORDER BY v.vin
  LIMIT $limit
  UNION
  MATCH (v:Vehicle)
  WHERE v.vin CONTAINS $q AND NOT v.vin STARTS WITH $q
    AND ($provinces IS NULL OR EXISTS {
      MATCH (v)<-[:INVOLVES]-(e:Event)-[:REPORTED_BY]->(r:Company)
      WHERE coalesce(e.province, r.province) IN $provinces
        AND NOT EXISTS { (e)<-[:CORRECTS]-(:Event) }
    } OR EXISTS {
      MATCH (v)<-[:INSTALLED_IN]-(:Battery)<-[a:ABOUT]-(e:Event)-[:REPORTED_BY]->(r:Company)
      WHERE a.role <> 'correction'
        AND coalesce(e.province, r.province) IN $provinces
        AND NOT EXISTS { (e)<-[:CORRECTS]-(:Event) }
    })
  RETURN v, 'contains' AS match
  LIMIT $limit
}
OPTIONAL MATCH (m:Company {uscc: v.maker})
OPTIONAL MATCH (v)<-[now:INSTALLED_IN]-(cur:Battery) WHERE now.until IS NULL
WITH v, match, m, min(cur.code) AS current_battery
RETURN v.vin AS vin,
       v.model AS model,
       v.maker AS maker,
       m.name AS maker_name,
       current_battery,
       match
ORDER BY CASE match WHEN 'exact' THEN 0 WHEN 'prefix' THEN 1 ELSE 2 END, vin
LIMIT $limit
