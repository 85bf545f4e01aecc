// A correction points at the event it voids, and shows on the timelines of that event's batteries.
// mode: write
// params: rows: list[{event_id, corrects}]
// returns: event_id (the correction), code (str or null), vin (str or null): what must be re-projected
UNWIND $rows AS row
MATCH (c:Event {event_id: row.event_id})
MATCH (target:Event {event_id: row.corrects})
CREATE (c)-[:CORRECTS]->(target)
WITH c, target
OPTIONAL MATCH (target)-[a:ABOUT]->(b:Battery)
FOREACH (_ IN CASE WHEN b IS NULL THEN [] ELSE [1] END |
  CREATE (c)-[:ABOUT {role: 'correction'}]->(b))
WITH c, target, b
OPTIONAL MATCH (target)-[:INVOLVES]->(v:Vehicle)
RETURN c.event_id AS event_id, b.code AS code, v.vin AS vin
