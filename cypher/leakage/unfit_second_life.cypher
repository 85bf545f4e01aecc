// A pack repurposed below the state of health its application needs, or with no residual energy test (GB/T 34015) in the window before the repurposing.
// Seeds: uncorrected repurposed events (type/time index) outside the banned applications, then the battery's own health readings before it.
// Scope: $batteries null runs the whole store; a list returns only the findings of those batteries, starting from them
// (guarded UNION branches: the whole-store branch is cut by its guard before it scans, the listed one seeks).
// mode: read
// params: as_of: datetime, min_soh_pct: float, backup_min_soh_pct: float, backup_applications: list[str], excluded: list[str], window_days: int, province: str or null, company: str or null, batteries: list[str] or null, skip: int, limit: int
// returns: battery (the original), since (repurposing time), company (the repurposer), company_name, province, evidence (repurposing, then the last reading), missing, details {application, soh_pct, required_soh_pct, soh_from, last_test, last_test_at, window_days}
CALL () {
  WITH 1 AS whole
  WHERE $batteries IS NULL
  MATCH (e:Event {type: 'repurposed'})
  WHERE e.occurred_at <= $as_of
  RETURN e
  UNION ALL
  UNWIND $batteries AS code
  MATCH (e:Event {battery: code, type: 'repurposed'})
  WHERE e.occurred_at <= $as_of
  RETURN e
}
WITH e
WHERE NOT e.application IN $excluded
  AND COUNT { (e)<-[:CORRECTS]-() } = 0
WITH e,
     CASE WHEN e.application IN $backup_applications THEN $backup_min_soh_pct ELSE $min_soh_pct END AS required,
     e.occurred_at - duration({days: $window_days}) AS window_from
WITH e, required, window_from,
     COLLECT {
       MATCH (b:Battery {code: e.battery})<-[a:ABOUT]-(h:Event {type: 'health_measured'})
       WHERE a.role = 'subject'
         AND h.occurred_at <= e.occurred_at
         AND COUNT { (h)<-[:CORRECTS]-() } = 0
       RETURN {event_id: h.event_id, at: h.occurred_at, soh: h.soh_pct, method: h.method}
       ORDER BY h.occurred_at DESC, h.event_id DESC
       LIMIT 100
     } AS readings
WITH e, required, readings,
     head([r IN readings WHERE r.method = 'residual_energy_test' AND r.at >= window_from]) AS test
WITH e, required, readings, test,
     CASE
       WHEN e.soh_pct IS NOT NULL THEN e.soh_pct
       WHEN test IS NOT NULL THEN test.soh
       ELSE head(readings).soh
     END AS soh,
     CASE
       WHEN e.soh_pct IS NOT NULL THEN e.event_id
       WHEN test IS NOT NULL THEN test.event_id
       ELSE head(readings).event_id
     END AS soh_from
WHERE test IS NULL OR (soh IS NOT NULL AND soh < required)
WITH e.battery AS battery,
     e.occurred_at AS since,
     e.reporter AS company,
     [e.event_id] + [r IN readings[0..1] | r.event_id] AS evidence,
     CASE
       WHEN test IS NULL AND soh IS NOT NULL AND soh < required
         THEN 'no residual energy test in the ' + toString($window_days) + ' days before the repurposing, and a state of health of ' + toString(soh) + '% below the ' + toString(required) + '% ' + e.application + ' needs'
       WHEN test IS NULL
         THEN 'no residual energy test (GB/T 34015) in the ' + toString($window_days) + ' days before the repurposing'
       ELSE 'repurposed for ' + e.application + ' at a state of health of ' + toString(soh) + '%, below the ' + toString(required) + '% it needs'
     END AS missing,
     {application: e.application, soh_pct: soh, required_soh_pct: required, soh_from: soh_from,
      last_test: test.event_id, last_test_at: test.at, window_days: $window_days} AS details,
     e.province AS event_province
OPTIONAL MATCH (co:Company {uscc: company})
WITH battery, since, company, co.name AS company_name, coalesce(event_province, co.province) AS province, evidence, missing, details
WHERE ($province IS NULL OR province = $province)
  AND ($company IS NULL OR company = $company)
  AND ($batteries IS NULL OR battery IN $batteries)
RETURN battery, since, company, company_name, province, evidence, missing, details
ORDER BY since, battery, company, head(evidence)
SKIP $skip
LIMIT $limit
