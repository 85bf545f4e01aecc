// A waste or retired battery put to a banned use: repurposed for an application on the banned list (e-bikes and the like).
// Seeds: uncorrected repurposed events (type/time index), then the application.
// Scope: $batteries null runs the whole store; a list returns only the findings of those batteries, starting from them
// (guarded UNION branches: the whole-store branch is cut by its guard before it scans, the listed one seeks).
// mode: read
// params: as_of: datetime, banned: list[str], province: str or null, company: str or null, batteries: list[str] or null, skip: int, limit: int
// returns: battery (the original), since (repurposing time), company (the repurposer), company_name, province, evidence (repurposing), missing, details {application, new_code}
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
WHERE e.application IN $banned
  AND COUNT { (e)<-[:CORRECTS]-() } = 0
WITH e.battery AS battery,
     e.occurred_at AS since,
     e.reporter AS company,
     [e.event_id] AS evidence,
     'repurposed for ' + e.application + ', a banned use of waste batteries' AS missing,
     {application: e.application, new_code: e.new_code} AS details,
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
