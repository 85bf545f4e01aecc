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
  RETURN collect({uscc: c.uscc, handover: coalesce(h.outcome = 'handover', false) AND h.unconfirmed IS NULL}) AS hs
}
WITH b, hs
WHERE any(i IN range(0, size(hs) - 3) WHERE hs[i].uscc IN $usccs AND any(j IN range(i + 2, size(hs) - 1) WHERE hs[j].uscc = hs[i].uscc))
RETURN b.code AS code,
       b.mass_kg AS mass_kg,
       [x IN hs | x.uscc] AS holders,
       [i IN range(0, size(hs) - 2) | hs[i].handover] AS handover
ORDER BY code
