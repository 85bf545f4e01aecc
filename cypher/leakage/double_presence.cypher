// One code in two places at once (a clone, or a history that cannot be true): produced twice, listed as a component of two parents, or placed in a vehicle by an event while still installed in another.
// The projection keeps one installation open at a time, closing it with whatever event next names the pack;
// an installation in vehicle A closed by an event (installed, swapped, removed) that names vehicle B means
// the records put the pack in both. The projection lists such closing events on the battery
// (Battery.suspect_closings, indexed, null on clean batteries); each is checked here again against the
// installation it closed. Every candidate the projection names is re-checked here, so it only has to hold
// every true case.
// Scope: $batteries null runs the whole store; a list returns only the findings of those batteries, starting from them
// (guarded UNION branches: the whole-store branch is cut by its guard before it scans, the listed one seeks).
// mode: read
// params: as_of: datetime, province: str or null, company: str or null, batteries: list[str] or null, skip: int, limit: int
// returns: battery, since (second placement), company (reporter of the second placement), company_name, province, evidence, missing, details {kind, vehicles, parents, producers}
CALL () {
  // Codes the projection saw produced twice or listed under two parents (Battery.produced_repeatedly, indexed,
  // null elsewhere) fetch their production events (the (battery, type) index for the code's own, its ABOUT
  // component links for the parents'), are sorted, and have their events checked for corrections.
  CALL () {
    WITH 1 AS whole
    WHERE $batteries IS NULL
    MATCH (b:Battery)
    WHERE b.produced_repeatedly IS NOT NULL
    RETURN b
    UNION ALL
    UNWIND $batteries AS code
    MATCH (b:Battery {code: code})
    WHERE b.produced_repeatedly IS NOT NULL
    RETURN b
  }
  UNWIND ['self', 'component'] AS kind
  WITH b.code AS code, kind
  CALL (code, kind) {
    MATCH (p:Event {battery: code, type: 'produced'})
    WHERE kind = 'self'
      AND p.occurred_at <= $as_of
    RETURN p
    UNION ALL
    MATCH (:Battery {code: code})<-[:ABOUT {role: 'component'}]-(p:Event {type: 'produced'})
    WHERE kind = 'component'
      AND p.occurred_at <= $as_of
    RETURN p
  }
  WITH code, kind, p
  WHERE COUNT { (p)<-[:CORRECTS]-() } = 0
  ORDER BY p.occurred_at, p.event_id
  WITH code, kind, collect(p) AS ps
  WITH code, kind, ps, reduce(parents = [], x IN ps | CASE WHEN x.battery IN parents THEN parents ELSE parents + x.battery END) AS parents
  WHERE (kind = 'self' AND size(ps) > 1) OR (kind = 'component' AND size(parents) > 1)
  RETURN code AS battery,
         ps[1].occurred_at AS since,
         ps[1].reporter AS company,
         [x IN ps | x.event_id] AS evidence,
         CASE kind
           WHEN 'self' THEN 'produced ' + toString(size(ps)) + ' times: one code, more than one battery'
           ELSE 'listed as a component of ' + toString(size(parents)) + ' different batteries'
         END AS missing,
         CASE kind
           WHEN 'self' THEN {kind: 'produced_twice', producers: [x IN ps | x.reporter]}
           ELSE {kind: 'component_of_two', parents: parents}
         END AS details,
         ps[1].province AS event_province
  UNION ALL
  CALL () {
    WITH 1 AS whole
    WHERE $batteries IS NULL
    MATCH (b:Battery)
    WHERE b.suspect_closings IS NOT NULL
    RETURN b
    UNION ALL
    UNWIND $batteries AS code
    MATCH (b:Battery {code: code})
    WHERE b.suspect_closings IS NOT NULL
    RETURN b
  }
  UNWIND b.suspect_closings AS closing_id
  MATCH (x:Event {event_id: closing_id})
  WHERE x.type IN ['installed', 'swapped', 'removed']
    AND x.occurred_at <= $as_of
  MATCH (b)-[i:INSTALLED_IN {until_event: x.event_id}]->(v:Vehicle)
  WHERE v.vin <> x.vehicle
    AND COUNT { (x)<-[:CORRECTS]-() } = 0
  RETURN b.code AS battery,
         x.occurred_at AS since,
         x.reporter AS company,
         [i.since_event, x.event_id] AS evidence,
         'installed in vehicle ' + v.vin + ' and, with no removal from it, named in vehicle ' + x.vehicle + ' by a ' + x.type + ' event' AS missing,
         {kind: 'two_vehicles', vehicles: [v.vin, x.vehicle]} AS details,
         x.province AS event_province
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
