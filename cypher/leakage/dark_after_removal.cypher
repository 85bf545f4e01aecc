// A pack taken out of a vehicle with no next custodian within the limit in Chinese working days: not put back in a vehicle, shipped, received by another company, recycled or repurposed.
// Limits: scrapping_limit_wd for removals for scrapping (dismantlers send batteries on within 15 WD), limit_wd
// for the others (repairs and replacements, 30 WD). A swap operator's removal for repair or 'other' returns the
// pack to the operator's own swap pool, which is custody in service, so it starts no clock.
// Working days come as the table W (see app/services/leakage/workdays.py): day index = CST epoch day - wd_start; a step
// on day r is within the limit n of an event on day d when W[r] <= floor(W[d]) + n.
// Scope: $batteries null runs the whole store; a list returns only the findings of those batteries, starting from them
// (guarded UNION branches: the whole-store branch is cut by its guard before it scans, the listed one seeks).
// mode: read
// params: as_of: datetime, limit_wd: int, scrapping_limit_wd: int, wd_start: int, wd: list[float], province: str or null, company: str or null, batteries: list[str] or null, skip: int, limit: int
// returns: battery, since (removal time), company (the remover), company_name, province, evidence (removal), missing, details {vehicle, reason, limit_wd}
CALL () {
  WITH 1 AS whole
  WHERE $batteries IS NULL
  MATCH (r:Event {type: 'removed'})
  WHERE r.occurred_at <= $as_of
  RETURN r
  UNION ALL
  UNWIND $batteries AS code
  MATCH (:Battery {code: code})<-[:ABOUT {role: 'subject'}]-(r:Event {type: 'removed'})
  WHERE r.occurred_at <= $as_of
  RETURN r
}
WITH r
WHERE COUNT { (r)<-[:CORRECTS]-() } = 0
MATCH (r)-[:REPORTED_BY]->(rc:Company)
// The reporter's roles as the registry had them at the removal (the version ending after it, else the current record).
WITH r, coalesce(
  COLLECT {
    MATCH (rc)-[:VERSION]->(v:CompanyVersion)
    WHERE v.valid_to > r.occurred_at
    WITH v
    ORDER BY v.valid_to
    LIMIT 1
    RETURN v.roles
  }[0],
  rc.roles
) AS roles_then
WHERE NOT ('swap_operator' IN roles_then AND r.reason IN ['repair', 'other'])
WITH r,
     CASE r.reason WHEN 'scrapping' THEN $scrapping_limit_wd ELSE $limit_wd END AS n,
     (r.occurred_at.epochSeconds + 28800) / 86400 - $wd_start AS d0,
     ($as_of.epochSeconds + 28800) / 86400 - $wd_start AS dn
WITH r, n, CASE WHEN d0 >= 0 THEN floor($wd[d0]) END AS w0, $wd[dn] AS wn
WHERE wn > w0 + n
MATCH (r)-[:ABOUT {role: 'subject'}]->(b:Battery)
WHERE NOT EXISTS {
  MATCH (b)<-[a:ABOUT]-(x:Event)
  WHERE a.role IN ['subject', 'in']
    AND x.type IN ['installed', 'swapped', 'shipped', 'received', 'recycled', 'repurposed']
    AND x.occurred_at >= r.occurred_at
    AND NOT (x.type = 'received' AND x.reporter = r.reporter)
    AND $wd[(x.occurred_at.epochSeconds + 28800) / 86400 - $wd_start] <= w0 + n
    AND COUNT { (x)<-[:CORRECTS]-() } = 0
}
WITH b.code AS battery,
     r.occurred_at AS since,
     r.reporter AS company,
     [r.event_id] AS evidence,
     'no next custodian within ' + toString(n) + ' working days of the removal: not put back in a vehicle, shipped, received by another company, recycled or repurposed' AS missing,
     {vehicle: r.vehicle, reason: r.reason, limit_wd: n} AS details,
     r.province AS event_province
OPTIONAL MATCH (co:Company {uscc: company})
WITH battery, since, company, co.name AS company_name, coalesce(event_province, co.province) AS province, evidence, missing, details
WHERE ($province IS NULL OR province = $province)
  AND ($company IS NULL OR company = $company)
  AND ($batteries IS NULL OR battery IN $batteries)
RETURN battery, since, company, company_name, province, evidence, missing, details
ORDER BY since, battery, company, head(evidence)
SKIP $skip
LIMIT $limit
