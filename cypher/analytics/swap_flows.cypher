// Station-to-station movements of batteries: each pair of consecutive swaps of one battery at two different stations.
// In at A then out at B = carried there in a vehicle; out at A then in at B = moved between the operator's pools. Dated by the
// second swap; province (and a province-limited key's provinces): of either station.
// mode: read
// params: since: datetime or null, until: datetime or null, province: str or null, provinces: list[str] or null, chemistry: str or null
// returns: source (station id), target (station id), batteries (int: moves), carried (int), transferred (int), distinct_batteries (int), kg (float: sum of mass_kg over moves)
MATCH (b:Battery)
WHERE ($chemistry IS NULL OR b.chemistry = $chemistry)
  AND EXISTS { (b)-[:SWAPPED_AT]->(:SwapStation) }
CALL (b) {
  MATCH (b)-[s:SWAPPED_AT]->(st:SwapStation)
  WITH s, st
  ORDER BY s.at, s.event_id
  RETURN collect({station: st.id, province: st.province, direction: s.direction, at: s.at}) AS ss
}
UNWIND range(0, size(ss) - 2) AS i
WITH b, ss[i] AS a, ss[i + 1] AS z
WHERE a.station <> z.station
  AND ($since IS NULL OR z.at >= $since)
  AND ($until IS NULL OR z.at < $until)
  AND ($province IS NULL OR a.province = $province OR z.province = $province)
  AND ($provinces IS NULL OR a.province IN $provinces OR z.province IN $provinces)
RETURN a.station AS source,
       z.station AS target,
       count(*) AS batteries,
       count(CASE WHEN a.direction = 'in' AND z.direction = 'out' THEN 1 END) AS carried,
       count(CASE WHEN a.direction = 'out' AND z.direction = 'in' THEN 1 END) AS transferred,
       count(DISTINCT b) AS distinct_batteries,
       sum(coalesce(b.mass_kg, 0.0)) AS kg
