// A removed or waste pack shipped to, or received by, a company that is not a formal recipient on that date (not a listed second-life or recycling company in its listing window, not a service point).
// "Removed or waste" at the time of the handover: the pack's last installation ended before it, by anything but
// a removal for repair (scrapping, replacement, other, a swap-out, recycling), or the pack is still recorded in a
// vehicle that was already scrapped. New packs going to automakers and packs out for repair are not waste.
// Seeds are the only batteries that can be waste: those with a closed installation (relationship index on
// INSTALLED_IN.until_event) or in a scrapped vehicle; their handovers come from the (battery, type) event index.
// One finding per battery, recipient and sender: a shipment and its receipt are one handover.
// Scope: $batteries null runs the whole store; a list returns only the findings of those batteries, starting from them
// (guarded UNION branches: the whole-store branch is cut by its guard before it scans, the listed one seeks).
// mode: read
// params: as_of: datetime, province: str or null, company: str or null, batteries: list[str] or null, skip: int, limit: int
// returns: battery, since (first event of the handover), company (the sender), company_name, province, evidence (shipment and/or receipt), missing, details {recipient, recipient_name, vehicle}
CALL () {
  WITH 1 AS whole
  WHERE $batteries IS NULL
  MATCH (b)-[i:INSTALLED_IN]->()
  WHERE i.until_event IS NOT NULL
    AND i.until <= $as_of
  RETURN DISTINCT b
  UNION
  WITH 1 AS whole
  WHERE $batteries IS NULL
  MATCH (x:Event {type: 'vehicle_scrapped'})
  WHERE x.occurred_at <= $as_of
  MATCH (x)-[:INVOLVES]->(:Vehicle)<-[i:INSTALLED_IN]-(b:Battery)
  WHERE i.until IS NULL OR i.until > x.occurred_at
  RETURN DISTINCT b
  UNION
  // A listed battery needs no seed: the handover test below decides whether it was waste.
  UNWIND $batteries AS code
  MATCH (b:Battery {code: code})
  RETURN b
}
// The stints are kept as relationships with their start times alone: a swap pack has many, and only
// the last one before each handover is read in full. Every property is read once (a list filter
// naming e.occurred_at would read it per element). INSTALLED_IN only ever links a Battery to a
// Vehicle, so its ends need no label test.
WITH b, COLLECT {
  MATCH (b)-[i:INSTALLED_IN]->()
  RETURN {rel: i, since: i.since} AS stint
  ORDER BY stint.since
} AS stints
WITH b, stints, [s IN stints | s.since] AS sinces
MATCH (e:Event {battery: b.code})
WHERE e.type IN ['shipped', 'received']
  AND e.occurred_at <= $as_of
WITH b, e, e.occurred_at AS at, stints, sinces
WITH b, e, stints, size([t IN sinces WHERE t <= at]) AS n
WHERE n > 0
WITH b, e, stints[n - 1].rel AS i
WITH b, e, i, endNode(i) AS v
WITH b, e, {since: i.since, until: i.until, until_event: i.until_event, vin: v.vin, scrapped_at: v.scrapped_at} AS last
OPTIONAL MATCH (x:Event {event_id: last.until_event})
WITH e, b, last, x,
     CASE e.type WHEN 'shipped' THEN e.to_company ELSE e.reporter END AS recipient,
     CASE e.type WHEN 'shipped' THEN e.reporter ELSE e.from_company END AS sender
WHERE ((last.until IS NOT NULL AND last.until <= e.occurred_at AND NOT (x.type = 'removed' AND x.reason = 'repair'))
    OR ((last.until IS NULL OR last.until > e.occurred_at) AND last.scrapped_at IS NOT NULL AND last.scrapped_at <= e.occurred_at))
  AND COUNT { (e)<-[:CORRECTS]-() } = 0
MATCH (c:Company {uscc: recipient})
WITH e, c, sender, b, last, date(datetime({datetime: e.occurred_at, timezone: '+08:00'})) AS d
// The recipient's roles as the registry had them at the handover (the version ending after it, else the current record).
WHERE NOT 'service_point' IN coalesce(
  COLLECT {
    MATCH (c)-[:VERSION]->(v:CompanyVersion)
    WHERE v.valid_to > e.occurred_at
    WITH v
    ORDER BY v.valid_to
    LIMIT 1
    RETURN v.roles
  }[0],
  c.roles
)
  AND NOT EXISTS {
    MATCH (c)-[:HOLDS]->(l:Licence)
    WHERE l.scope IN ['second_life', 'recycling']
      AND l.valid_from <= d
      AND (l.valid_to IS NULL OR l.valid_to >= d)
  }
WITH b, c, sender, last, e
ORDER BY e.occurred_at, e.event_id
WITH b, c, sender, collect(e) AS events, collect(last.vin)[0] AS vin
WITH b.code AS battery,
     events[0].occurred_at AS since,
     sender AS company,
     [x IN events | x.event_id] AS evidence,
     'handed to ' + coalesce(c.name, c.uscc) + ' (' + c.uscc + '), which is not a listed second-life or recycling company or a service point on that date' AS missing,
     {recipient: c.uscc, recipient_name: c.name, vehicle: vin} AS details,
     events[0].province AS event_province
OPTIONAL MATCH (co:Company {uscc: company})
WITH battery, since, company, co.name AS company_name, coalesce(event_province, co.province) AS province, evidence, missing, details
WHERE ($province IS NULL OR province = $province)
  AND ($company IS NULL OR company = $company)
  AND ($batteries IS NULL OR battery IN $batteries)
RETURN battery, since, company, company_name, province, evidence, missing, details
ORDER BY since, battery, company, head(evidence)
SKIP $skip
LIMIT $limit
