// A pack taken out of a (non-swap) vehicle within `days` before the vehicle was scrapped, then neither put back in a vehicle nor handed to a formal recipient.
// Seeds: uncorrected removals (type/time index) whose vehicle was scrapped in the window after them. A removal
// for scrapping by the dismantler that scrapped the car is the normal flow, not a separation. Formal
// recipient = licensed second-life or recycling company on the date of its receipt, or a service point.
// Scope: $batteries null runs the whole store; a list returns only the findings of those batteries, starting from them
// (guarded UNION branches: the whole-store branch is cut by its guard before it scans, the listed one seeks).
// mode: read
// params: as_of: datetime, days: int, province: str or null, company: str or null, batteries: list[str] or null, skip: int, limit: int
// returns: battery, since (removal time), company (the remover), company_name, province, evidence (removal, scrapping), missing, details {vehicle, reason, scrapped_at, scrapped_by, days_before_scrap}
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
MATCH (r)-[:INVOLVES]->(v:Vehicle)
WHERE v.scrapped_at IS NOT NULL
  AND v.scrapped_at <= $as_of
  AND r.occurred_at <= v.scrapped_at
  AND r.occurred_at >= v.scrapped_at - duration({days: $days})
  AND coalesce(v.swap_capable, false) = false
MATCH (x:Event {type: 'vehicle_scrapped'})-[:INVOLVES]->(v)
WHERE x.occurred_at = v.scrapped_at
  AND COUNT { (x)<-[:CORRECTS]-() } = 0
WITH r, v, x
ORDER BY x.event_id
WITH r, v, head(collect(x)) AS x
WHERE NOT (r.reason = 'scrapping' AND r.reporter = x.reporter)
MATCH (r)-[:ABOUT {role: 'subject'}]->(b:Battery)
WHERE NOT EXISTS {
    MATCH (b)-[i:INSTALLED_IN]->(:Vehicle)
    WHERE i.since >= r.occurred_at AND i.since <= $as_of
  }
  AND NOT EXISTS {
    MATCH (h:Event {battery: b.code, type: 'received'})
    WHERE h.occurred_at >= r.occurred_at
      AND h.occurred_at <= $as_of
    MATCH (h)-[:REPORTED_BY]->(c:Company)
    WHERE COUNT { (h)<-[:CORRECTS]-() } = 0
      AND (
        'service_point' IN coalesce(
          COLLECT {
            MATCH (c)-[:VERSION]->(v:CompanyVersion)
            WHERE v.valid_to > h.occurred_at
            WITH v
            ORDER BY v.valid_to
            LIMIT 1
            RETURN v.roles
          }[0],
          c.roles
        )
        OR EXISTS {
          MATCH (c)-[:HOLDS]->(l:Licence)
          WHERE l.scope IN ['second_life', 'recycling']
            AND l.valid_from <= date(datetime({datetime: h.occurred_at, timezone: '+08:00'}))
            AND (l.valid_to IS NULL OR l.valid_to >= date(datetime({datetime: h.occurred_at, timezone: '+08:00'})))
        }
      )
  }
WITH b.code AS battery,
     r.occurred_at AS since,
     r.reporter AS company,
     [r.event_id, x.event_id] AS evidence,
     'separated from its vehicle ' + toString(duration.inDays(r.occurred_at, v.scrapped_at).days) + ' days before the vehicle was scrapped and never handed to a listed second-life or recycling company or a service point' AS missing,
     {vehicle: v.vin, reason: r.reason, scrapped_at: v.scrapped_at, scrapped_by: x.reporter, days_before_scrap: duration.inDays(r.occurred_at, v.scrapped_at).days} AS details,
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
