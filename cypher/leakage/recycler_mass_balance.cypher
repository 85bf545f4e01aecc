// A recycler whose recycling output does not match what it received over the `days` before as_of: the input mass its recycled events declare differs from the mass of the batteries it held (received) when it recycled them, beyond tolerance.
// Per recycled event: accounted = the battery's known mass (its production, or its original's for a second-life
// product; the declared input when neither is known) if the recycler held it at that moment (the projection's
// custody interval the recycling closed is the recycler's), else 0: recycling a battery never received. Fires when
// |declared - accounted| > tolerance_kg and > tolerance_share x declared. Company-level: battery is null.
// Scope: $batteries null runs the whole store; a list returns only the findings of the recyclers that recycled or received
// one of them (a receipt changes the details; a recycling the balance), starting from those batteries' events.
// mode: read
// params: as_of: datetime, days: int, tolerance_share: float, tolerance_kg: float, province: str or null, company: str or null, batteries: list[str] or null, skip: int, limit: int
// returns: battery (null), since (first off-balance recycling in the window), company (the recycler), company_name, province, evidence (off-balance recycled events), missing, details {window_from, window_to, recycled, declared_kg, accounted_kg, imbalance_kg, not_received, received_in_window, off_balance}
CALL () {
  WITH 1 AS whole
  WHERE $batteries IS NULL
  MATCH (rc:Event {type: 'recycled'})
  WHERE rc.occurred_at > $as_of - duration({days: $days})
    AND rc.occurred_at <= $as_of
  RETURN rc
  UNION ALL
  CALL () {
    UNWIND $batteries AS code
    MATCH (e:Event {battery: code})
    WHERE e.type IN ['recycled', 'received']
    RETURN DISTINCT e.reporter AS recycler
  }
  MATCH (rc:Event {reporter: recycler})
  WHERE rc.type = 'recycled'
    AND rc.occurred_at > $as_of - duration({days: $days})
    AND rc.occurred_at <= $as_of
  RETURN rc
}
WITH rc
WHERE COUNT { (rc)<-[:CORRECTS]-() } = 0
MATCH (rc)-[:ABOUT {role: 'subject'}]->(b:Battery)
OPTIONAL MATCH (b)-[:DERIVED_FROM]->(o:Battery)
WITH rc, b, coalesce(b.mass_kg, o.mass_kg, rc.input_mass_kg) AS known,
     EXISTS {
       MATCH (b)-[h:HELD_BY]->(holder:Company)
       WHERE h.until_event = rc.event_id AND holder.uscc = rc.reporter
     } AS held
WITH rc, b, held, rc.input_mass_kg AS declared, CASE WHEN held THEN known ELSE 0.0 END AS accounted
ORDER BY rc.occurred_at, rc.event_id
WITH rc.reporter AS recycler,
     count(rc) AS recycled,
     sum(declared) AS declared_kg,
     sum(accounted) AS accounted_kg,
     [x IN collect(CASE WHEN abs(declared - accounted) > 1e-6 THEN {event_id: rc.event_id, at: rc.occurred_at, battery: b.code, held: held} END) WHERE x IS NOT NULL] AS off
WITH recycler, recycled, declared_kg, accounted_kg, off, declared_kg - accounted_kg AS imbalance
WHERE abs(imbalance) > $tolerance_kg
  AND abs(imbalance) > $tolerance_share * declared_kg
  AND size(off) > 0
MATCH (c:Company {uscc: recycler})
WITH c, recycled, declared_kg, accounted_kg, off, imbalance,
     COUNT {
       // From the recycler's own events (the reporter index), not from every receipt in the window
       // walked back to its reporter: 36 k db hits instead of 425 k at 100,000 packs.
       MATCH (r:Event {reporter: c.uscc})
       USING INDEX r:Event(reporter)
       WHERE r.type = 'received'
         AND r.occurred_at > $as_of - duration({days: $days}) AND r.occurred_at <= $as_of
         AND COUNT { (r)<-[:CORRECTS]-() } = 0
     } AS received
WITH null AS battery,
     off[0].at AS since,
     c.uscc AS company,
     [x IN off | x.event_id] AS evidence,
     'declared ' + toString(round(declared_kg, 1)) + ' kg of recycling input in ' + toString($days) + ' days, but the batteries it had received account for ' + toString(round(accounted_kg, 1)) + ' kg' AS missing,
     {window_from: $as_of - duration({days: $days}), window_to: $as_of, recycled: recycled, declared_kg: declared_kg, accounted_kg: accounted_kg, imbalance_kg: imbalance,
      not_received: [x IN off WHERE NOT x.held | x.battery], received_in_window: received, off_balance: size(off)} AS details,
     c.province AS event_province
OPTIONAL MATCH (co:Company {uscc: company})
WITH battery, since, company, co.name AS company_name, coalesce(event_province, co.province) AS province, evidence, missing, details
WHERE ($province IS NULL OR province = $province)
  AND ($company IS NULL OR company = $company)
RETURN battery, since, company, company_name, province, evidence, missing, details
ORDER BY since, battery, company, head(evidence)
SKIP $skip
LIMIT $limit
