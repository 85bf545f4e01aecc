// Any event naming a battery after it was recycled (destroyed): the material no longer exists as a battery (CBV: events after destroying indicate an error).
// Seeds: uncorrected recycled events (type/time index), the first per battery; later means a later occurred_at,
// so events that merely arrive late (recorded after the recycling, occurred before it) do not count.
// Scope: $batteries null runs the whole store; a list returns only the findings of those batteries, starting from them
// (guarded UNION branches: the whole-store branch is cut by its guard before it scans, the listed one seeks).
// mode: read
// params: as_of: datetime, province: str or null, company: str or null, batteries: list[str] or null, skip: int, limit: int
// returns: battery, since (first later event), company (its reporter), company_name, province, evidence (recycling, later events), missing, details {recycled_at, recycled_by, later_types}
CALL () {
  WITH 1 AS whole
  WHERE $batteries IS NULL
  MATCH (rc:Event {type: 'recycled'})
  WHERE rc.occurred_at <= $as_of
  RETURN rc
  UNION ALL
  UNWIND $batteries AS code
  MATCH (:Battery {code: code})<-[:ABOUT {role: 'subject'}]-(rc:Event {type: 'recycled'})
  WHERE rc.occurred_at <= $as_of
  RETURN rc
}
WITH rc
WHERE COUNT { (rc)<-[:CORRECTS]-() } = 0
MATCH (rc)-[:ABOUT {role: 'subject'}]->(b:Battery)
WITH b, rc
ORDER BY rc.occurred_at, rc.event_id
WITH b, head(collect(rc)) AS rc
MATCH (b)<-[a:ABOUT]-(x:Event)
WHERE a.role <> 'correction'
  AND x.occurred_at > rc.occurred_at
  AND x.occurred_at <= $as_of
  AND COUNT { (x)<-[:CORRECTS]-() } = 0
WITH b, rc, x
ORDER BY x.occurred_at, x.event_id
WITH b, rc, collect(x) AS later
WITH b.code AS battery,
     later[0].occurred_at AS since,
     later[0].reporter AS company,
     [rc.event_id] + [x IN later | x.event_id] AS evidence,
     toString(size(later)) + ' event(s) name the battery after ' + rc.reporter + ' recycled it' AS missing,
     {recycled_at: rc.occurred_at, recycled_by: rc.reporter, later_types: [x IN later | x.type]} AS details,
     later[0].province AS event_province
OPTIONAL MATCH (co:Company {uscc: company})
WITH battery, since, company, co.name AS company_name, coalesce(event_province, co.province) AS province, evidence, missing, details
WHERE ($province IS NULL OR province = $province)
  AND ($company IS NULL OR company = $company)
  AND ($batteries IS NULL OR battery IN $batteries)
RETURN battery, since, company, company_name, province, evidence, missing, details
ORDER BY since, battery, company, head(evidence)
SKIP $skip
LIMIT $limit
