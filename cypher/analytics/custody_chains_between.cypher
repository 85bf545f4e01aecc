// Custody sequences of the batteries held by both companies: holders in time order and whether each step was a hand-over
// (the replay's decision stored on each stay, as analytics.custody_flows reads it: a confirmed hand-over, not an installation, recycling or a shipment nobody received).
// mode: read
// params: source: str, target: str
// returns: code, mass_kg (float or null), holders (list[str]: USCCs in time order), handover (list[bool]: handover[i] = holders[i] handed it to holders[i + 1])
MATCH (:Company {uscc: $source})<-[:HELD_BY]-(b:Battery)
WHERE EXISTS { (b)-[:HELD_BY]->(:Company {uscc: $target}) }
WITH DISTINCT b
CALL (b) {
  MATCH (b)-[h:HELD_BY]->(c:Company)
  WITH h, c
  ORDER BY h.since, h.since_event
  RETURN collect({uscc: c.uscc, handover: coalesce(h.outcome = 'handover', false) AND h.unconfirmed IS NULL}) AS hs
}
RETURN b.code AS code,
       b.mass_kg AS mass_kg,
       [x IN hs | x.uscc] AS holders,
       [i IN range(0, size(hs) - 2) | hs[i].handover] AS handover
ORDER BY code
