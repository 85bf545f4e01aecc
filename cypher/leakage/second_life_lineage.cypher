// Second-life lineage broken: a second-life code not linked to the battery it was made from, or an original still (or again) in a vehicle while repurposed.
// Unlinked: a code in the 19-character second-life form, or a pack whose production was reported by a second-life
// company that is not a battery maker, with no DERIVED_FROM link (no uncorrected repurposed event names it as
// new_code). In a vehicle: the repurposing closed an open installation (no removal first), or the original was
// installed after it was repurposed.
// Scope: $batteries null runs the whole store; a list returns only the findings of those batteries, starting from them
// (guarded UNION branches: the whole-store branch is cut by its guard before it scans, the listed one seeks).
// mode: read
// params: as_of: datetime, province: str or null, company: str or null, batteries: list[str] or null, skip: int, limit: int
// returns: battery, since, company, company_name, province, evidence, missing, details {kind, vehicle, repurposed_at}
CALL () {
  CALL () {
    WITH 1 AS whole
    WHERE $batteries IS NULL
    MATCH (b:Battery {second_life_code: true})
    RETURN b
    UNION ALL
    UNWIND $batteries AS code
    MATCH (b:Battery {code: code, second_life_code: true})
    RETURN b
  }
  WITH b
  WHERE NOT EXISTS { (b)-[:DERIVED_FROM]->(:Battery) }
  CALL (b) {
    MATCH (b)<-[a:ABOUT]-(e:Event)
    WHERE a.role <> 'correction'
      AND e.occurred_at <= $as_of
      AND COUNT { (e)<-[:CORRECTS]-() } = 0
    RETURN e
    ORDER BY e.occurred_at, e.event_id
    LIMIT 1
  }
  RETURN b.code AS battery, e.occurred_at AS since, e.reporter AS company, [e.event_id] AS evidence,
         'second-life code with no link to the battery it was made from (no repurposing names it)' AS missing,
         {kind: 'unlinked', vehicle: null, repurposed_at: null} AS details, e.province AS event_province
  UNION ALL
  // From the few second-life companies to their own events (reporter index), not from every production.
  CALL () {
    MATCH (c:Company)
    WHERE 'second_life' IN c.roles
      AND NOT 'battery_maker' IN c.roles
    RETURN collect(c.uscc) AS second_life_companies
  }
  CALL (second_life_companies) {
    WITH second_life_companies
    WHERE $batteries IS NULL
    UNWIND second_life_companies AS reporter
    MATCH (e:Event {reporter: reporter})
    USING INDEX e:Event(reporter)
    WHERE e.type = 'produced'
      AND e.occurred_at <= $as_of
    RETURN e
    UNION ALL
    UNWIND $batteries AS code
    MATCH (e:Event {battery: code, type: 'produced'})
    WHERE e.reporter IN second_life_companies
      AND e.occurred_at <= $as_of
    RETURN e
  }
  MATCH (b:Battery {code: e.battery})
  WHERE NOT EXISTS { (b)-[:DERIVED_FROM]->(:Battery) }
    AND NOT coalesce(b.second_life_code, false)
    AND COUNT { (e)<-[:CORRECTS]-() } = 0
  RETURN b.code AS battery, e.occurred_at AS since, e.reporter AS company, [e.event_id] AS evidence,
         'produced by a second-life company with no link to the battery it was made from' AS missing,
         {kind: 'unlinked', vehicle: null, repurposed_at: null} AS details, e.province AS event_province
  UNION ALL
  CALL () {
    WITH 1 AS whole
    WHERE $batteries IS NULL
    MATCH (rp:Event {type: 'repurposed'})
    WHERE rp.occurred_at <= $as_of
    RETURN rp
    UNION ALL
    UNWIND $batteries AS code
    MATCH (:Battery {code: code})<-[:ABOUT {role: 'subject'}]-(rp:Event {type: 'repurposed'})
    WHERE rp.occurred_at <= $as_of
    RETURN rp
  }
  WITH rp
  WHERE COUNT { (rp)<-[:CORRECTS]-() } = 0
  MATCH (rp)-[:ABOUT {role: 'subject'}]->(o:Battery)-[i:INSTALLED_IN]->(v:Vehicle)
  WHERE i.until_event = rp.event_id
     OR (i.since >= rp.occurred_at AND i.since <= $as_of)
  OPTIONAL MATCH (put:Event {event_id: i.since_event})
  WITH rp, o, i, v, put, i.until_event = rp.event_id AS at_repurposing
  RETURN o.code AS battery,
         CASE WHEN at_repurposing THEN rp.occurred_at ELSE i.since END AS since,
         CASE WHEN at_repurposing THEN rp.reporter ELSE put.reporter END AS company,
         [rp.event_id, i.since_event] AS evidence,
         CASE
           WHEN at_repurposing THEN 'repurposed while still installed in vehicle ' + v.vin + ' (no removal recorded)'
           ELSE 'installed in vehicle ' + v.vin + ' after it was repurposed'
         END AS missing,
         {kind: 'original_in_vehicle', vehicle: v.vin, repurposed_at: rp.occurred_at} AS details,
         rp.province AS event_province
}
WITH battery, since, company, evidence, missing, details, event_province
OPTIONAL MATCH (co:Company {uscc: company})
WITH battery, since, company, co.name AS company_name, coalesce(event_province, co.province) AS province, evidence, missing, details
WHERE ($province IS NULL OR province = $province)
  AND ($company IS NULL OR company = $company)
  AND ($batteries IS NULL OR battery IN $batteries)
RETURN battery, since, company, company_name, province, evidence, missing, details
ORDER BY since, battery, company, head(evidence)
SKIP $skip
LIMIT $limit
