// The company's steps still owed: packs it removed that have had no next custodian since (a removal by a
// swap operator for repair or 'other' keeps the pack in its own pool: no clock), and shipments with no
// receipt by the addressee yet, that it sent or that were sent to it. Python states each deadline in
// Chinese working days and keeps those not passed (the ones passed are findings).
// mode: read
// params: company: str, since: datetime
// returns: rule, battery, since (datetime), event, reason (str or null), counterparty (str or null), side (removed | sent | addressed)
CALL () {
  MATCH (r:Event {reporter: $company})
  WHERE r.type = 'removed' AND r.occurred_at >= $since
    AND COUNT { (r)<-[:CORRECTS]-() } = 0
  MATCH (c:Company {uscc: $company})
  WITH r WHERE NOT ('swap_operator' IN coalesce(c.roles, []) AND r.reason IN ['repair', 'other'])
  MATCH (r)-[:ABOUT {role: 'subject'}]->(b:Battery)
  WHERE NOT EXISTS {
    MATCH (b)<-[a:ABOUT]-(x:Event)
    WHERE a.role IN ['subject', 'in']
      AND x.type IN ['installed', 'swapped', 'shipped', 'received', 'recycled', 'repurposed']
      AND x.occurred_at >= r.occurred_at
      AND NOT (x.type = 'received' AND x.reporter = r.reporter)
      AND COUNT { (x)<-[:CORRECTS]-() } = 0
  }
  RETURN 'dark_after_removal' AS rule, b.code AS battery, r.occurred_at AS since, r.event_id AS event,
         r.reason AS reason, null AS counterparty, 'removed' AS side
  UNION
  MATCH (s:Event {reporter: $company})
  WHERE s.type = 'shipped' AND s.occurred_at >= $since
    AND COUNT { (s)<-[:CORRECTS]-() } = 0
    AND NOT EXISTS {
      MATCH (x:Event {battery: s.battery, type: 'received'})
      WHERE x.reporter = s.to_company AND x.from_company = s.reporter AND x.occurred_at >= s.occurred_at
        AND COUNT { (x)<-[:CORRECTS]-() } = 0
    }
  RETURN 'lost_in_transit' AS rule, s.battery AS battery, s.occurred_at AS since, s.event_id AS event,
         null AS reason, s.to_company AS counterparty, 'sent' AS side
  UNION
  MATCH (s:Event {type: 'shipped', to_company: $company})
  WHERE s.occurred_at >= $since
    AND COUNT { (s)<-[:CORRECTS]-() } = 0
    AND NOT EXISTS {
      MATCH (x:Event {battery: s.battery, type: 'received'})
      WHERE x.reporter = $company AND x.from_company = s.reporter AND x.occurred_at >= s.occurred_at
        AND COUNT { (x)<-[:CORRECTS]-() } = 0
    }
  RETURN 'lost_in_transit' AS rule, s.battery AS battery, s.occurred_at AS since, s.event_id AS event,
         null AS reason, s.reporter AS counterparty, 'addressed' AS side
}
RETURN rule, battery, since, event, reason, counterparty, side
ORDER BY since, event
