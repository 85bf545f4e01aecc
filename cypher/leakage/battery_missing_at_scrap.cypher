// Article 21: a vehicle that is not a swap model was scrapped with no pack in it (the dismantler got the car without its battery).
// Seeds: uncorrected vehicle_scrapped events (type/time index), the first per vehicle. A pack removed at or
// after the scrapping, or removed for scrapping by the scrapping dismantler itself, arrived with the car.
// The battery is the last pack the vehicle carried (null if none was ever recorded); the company
// answerable is whoever took it out, else the vehicle's maker (its codes were never bound), else the dismantler.
// Scope: $batteries null runs the whole store; a list returns only the findings of those batteries (and, for vehicles that never had a
// pack, of the listed $vehicles), starting from them
// (guarded UNION branches: the whole-store branch is cut by its guard before it scans, the listed one seeks).
// mode: read
// params: as_of: datetime, province: str or null, company: str or null, batteries: list[str] or null, vehicles: list[str] or null, skip: int, limit: int
// returns: battery, since (scrapping time), company, company_name, province, evidence (scrapping, separating event), missing, details {vehicle, scrapped_by, separated_at, separated_by, separated_by_event_type}
CALL () {
  WITH 1 AS whole
  WHERE $batteries IS NULL
  MATCH (x:Event {type: 'vehicle_scrapped'})
  WHERE x.occurred_at <= $as_of
  RETURN x
  UNION
  UNWIND $batteries AS code
  MATCH (:Battery {code: code})-[:INSTALLED_IN]->(:Vehicle)<-[:INVOLVES]-(x:Event {type: 'vehicle_scrapped'})
  WHERE x.occurred_at <= $as_of
  RETURN x
  UNION
  UNWIND $vehicles AS vin
  MATCH (x:Event {vehicle: vin, type: 'vehicle_scrapped'})
  WHERE $batteries IS NOT NULL
    AND x.occurred_at <= $as_of
  RETURN x
}
WITH x
WHERE COUNT { (x)<-[:CORRECTS]-() } = 0
MATCH (x)-[:INVOLVES]->(v:Vehicle)
WHERE x.occurred_at = v.scrapped_at
  AND coalesce(v.swap_capable, false) = false
WITH v, x
ORDER BY x.event_id
WITH v, head(collect(x)) AS x
WHERE NOT EXISTS {
  MATCH (:Battery)-[i:INSTALLED_IN]->(v)
  WHERE i.since <= x.occurred_at
    AND (i.until IS NULL OR i.until >= x.occurred_at)
}
CALL (v, x) {
  OPTIONAL MATCH (b:Battery)-[i:INSTALLED_IN]->(v)
  WHERE i.since <= x.occurred_at
  RETURN b, i
  ORDER BY i.since DESC
  LIMIT 1
}
OPTIONAL MATCH (out:Event {event_id: i.until_event})
WITH v, x, b, i, out
WHERE out IS NULL
   OR NOT (out.type = 'removed' AND out.reason = 'scrapping' AND out.reporter = x.reporter)
WITH b.code AS battery,
     x.occurred_at AS since,
     CASE
       WHEN out IS NOT NULL THEN out.reporter
       WHEN v.maker IS NOT NULL THEN v.maker
       ELSE x.reporter
     END AS company,
     [x.event_id] + CASE WHEN out IS NULL THEN [] ELSE [out.event_id] END AS evidence,
     CASE
       WHEN b IS NULL THEN 'no pack was ever recorded in this vehicle, and it was scrapped without one: the battery must go to the dismantler with the car (Art. 21)'
       ELSE 'the vehicle reached the dismantler without its pack, which was taken out before scrapping: the battery must go with the car (Art. 21)'
     END AS missing,
     {vehicle: v.vin, scrapped_by: x.reporter, separated_at: i.until, separated_by: out.reporter, separated_by_event_type: out.type} AS details,
     x.province AS event_province
OPTIONAL MATCH (co:Company {uscc: company})
WITH battery, since, company, co.name AS company_name, coalesce(event_province, co.province) AS province, evidence, missing, details
WHERE ($province IS NULL OR province = $province)
  AND ($company IS NULL OR company = $company)
  AND ($batteries IS NULL OR battery IN $batteries OR (battery IS NULL AND details.vehicle IN $vehicles))
RETURN battery, since, company, company_name, province, evidence, missing, details
ORDER BY since, battery, company, head(evidence)
SKIP $skip
LIMIT $limit
