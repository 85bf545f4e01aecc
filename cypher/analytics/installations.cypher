// Installations touching a chosen set: every battery the chosen vehicles carried and every vehicle the chosen batteries were in; for a province-limited key only batteries within its provinces (one of their standing events carries one, else its reporter is registered there).
// mode: read
// params: vins: list[str], codes: list[str], provinces: list[str] or null
// returns: vin, code, installations (int: intervals), first_since (datetime), last_until (datetime or null: installed now), model, category, level, chemistry, status
CALL () {
  UNWIND $vins AS vin
  MATCH (b:Battery)-[i:INSTALLED_IN]->(v:Vehicle {vin: vin})
  RETURN b, i, v
  UNION
  UNWIND $codes AS code
  MATCH (b:Battery {code: code})-[i:INSTALLED_IN]->(v:Vehicle)
  RETURN b, i, v
}
WITH b, i, v
WHERE $provinces IS NULL OR EXISTS {
  MATCH (b)<-[a:ABOUT]-(e:Event)-[:REPORTED_BY]->(r:Company)
  WHERE a.role <> 'correction'
    AND coalesce(e.province, r.province) IN $provinces
    AND NOT EXISTS { (e)<-[:CORRECTS]-(:Event) }
}
WITH b, v,
     count(i) AS installations,
     min(i.since) AS first_since,
     max(i.until) AS last_until,
     count(CASE WHEN i.until IS NULL THEN 1 END) AS open
RETURN v.vin AS vin,
       b.code AS code,
       installations,
       first_since,
       CASE WHEN open > 0 THEN null ELSE last_until END AS last_until,
       v.model AS model,
       v.category AS category,
       b.level AS level,
       b.chemistry AS chemistry,
       b.status AS status
ORDER BY vin, code
