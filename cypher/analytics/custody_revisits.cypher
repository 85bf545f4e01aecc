// Batteries going round: custody came back to one of the given companies after another company held it in between.
// Steps are flagged as in analytics.custody_chains_between, so a return after a spell in a vehicle can be told apart.
// mode: read
// params: usccs: list[str]
// returns: code, mass_kg (float or null), holders (list[str]: USCCs in time order), handover (list[bool]: handover[i] = holders[i] handed it to holders[i + 1])
UNWIND $usccs AS uscc
MATCH (:Company {uscc: uscc})<-[:HELD_BY]-(b:Battery)
WITH DISTINCT b
CALL (b) {
  MATCH (b)-[h:HELD_BY]->(c:Company)
  WITH h, c
  ORDER BY h.since, h.since_event
  RETURN collect({uscc: c.uscc, since: h.since, until: h.until, until_event: h.until_event}) AS hs
}
WITH b, hs
WHERE any(i IN range(0, size(hs) - 3) WHERE hs[i].uscc IN $usccs AND any(j IN range(i + 2, size(hs) - 1) WHERE hs[j].uscc = hs[i].uscc))
WITH b, hs,
     COLLECT { MATCH (b)-[r:INSTALLED_IN]->(:Vehicle) RETURN r.since } AS installed,
     COLLECT { MATCH (b)-[r:RECYCLED_BY]->(:Company) RETURN r.event_id } AS recycling
RETURN b.code AS code,
       b.mass_kg AS mass_kg,
       [x IN hs | x.uscc] AS holders,
       [i IN range(0, size(hs) - 2) |
         hs[i].uscc <> hs[i + 1].uscc
         AND hs[i].until IS NOT NULL
         AND none(t IN installed WHERE t >= hs[i].until AND t <= hs[i + 1].since)
         AND NOT hs[i].until_event IN recycling
       ] AS handover
ORDER BY code
