// A battery with no event for longer than its class's service life, and not recycled or exported: it has dropped out of every record.
// Classes: second-life products (linked to an original, or in the 19-character second-life form) get
// second_life_years, every other battery service_life_years. Not silent: recycled batteries, modules and cells
// inside a pack (the pack speaks for them), originals repurposed into a linked second-life product (the
// product carries the history on), and packs still installed in a vehicle exported (by as_of) at or after
// their last event: they left the country in it (an event about the pack after the export makes it judged as
// usual, from that event). last_event_at is the projection's (uncorrected events only); range index on it.
// Scope: $batteries null runs the whole store; a list returns only the findings of those batteries, starting from them
// (guarded UNION branches: the whole-store branch is cut by its guard before it scans, the listed one seeks).
// mode: read
// params: as_of: datetime, service_life_years: float, second_life_years: float, province: str or null, company: str or null, batteries: list[str] or null, skip: int, limit: int
// returns: battery, since (last event), company (custodian, else the current vehicle's maker, else the producer), company_name, province, evidence (the last events), missing, details {status, class, limit_years, current_vin, current_holder}
CALL () {
  WITH 1 AS whole
  WHERE $batteries IS NULL
  MATCH (b:Battery)
  WHERE b.last_event_at < $as_of - duration({days: toInteger(round(CASE WHEN $second_life_years < $service_life_years THEN $second_life_years ELSE $service_life_years END * 365.25))})
  RETURN b
  UNION ALL
  UNWIND $batteries AS code
  MATCH (b:Battery {code: code})
  WHERE b.last_event_at < $as_of - duration({days: toInteger(round(CASE WHEN $second_life_years < $service_life_years THEN $second_life_years ELSE $service_life_years END * 365.25))})
  RETURN b
}
WITH b
WHERE NOT b.status IN ['recycled', 'assembled']
WITH b, coalesce(b.second_life_code, false) OR EXISTS { (b)-[:DERIVED_FROM]->(:Battery) } AS second
WITH b, second, CASE WHEN second THEN $second_life_years ELSE $service_life_years END AS years
WHERE b.last_event_at < $as_of - duration({days: toInteger(round(years * 365.25))})
  AND NOT (b.status = 'repurposed' AND EXISTS { (b)<-[:DERIVED_FROM]-(:Battery) })
OPTIONAL MATCH (v:Vehicle {vin: b.current_vin})
WITH b, second, years, v
WHERE NOT coalesce(v.exported_at <= $as_of AND v.exported_at >= b.last_event_at, false)
WITH b, second, years, v,
     COLLECT {
       MATCH (b)<-[a:ABOUT]-(e:Event)
       WHERE a.role <> 'correction'
         AND e.occurred_at = b.last_event_at
         AND COUNT { (e)<-[:CORRECTS]-() } = 0
       RETURN e.event_id ORDER BY e.event_id
     } AS last_events
WITH b.code AS battery,
     b.last_event_at AS since,
     coalesce(b.current_holder, v.maker, b.producer) AS company,
     last_events AS evidence,
     'no event for more than ' + toString(years) + ' years (the service life of its class), and not recycled' AS missing,
     {status: b.status, class: CASE WHEN second THEN 'second_life' ELSE 'first_life' END, limit_years: years, current_vin: b.current_vin, current_holder: b.current_holder} AS details,
     null AS event_province
OPTIONAL MATCH (co:Company {uscc: company})
WITH battery, since, company, co.name AS company_name, coalesce(event_province, co.province) AS province, evidence, missing, details
WHERE ($province IS NULL OR province = $province)
  AND ($company IS NULL OR company = $company)
  AND ($batteries IS NULL OR battery IN $batteries)
RETURN battery, since, company, company_name, province, evidence, missing, details
ORDER BY since, battery, company, head(evidence)
SKIP $skip
LIMIT $limit
