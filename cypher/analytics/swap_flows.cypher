// Station-to-station movements of batteries: each pair of consecutive swaps of one battery at two different stations.
// The replay stored on each swap the battery's previous station when it was another (`came_from`, with that swap's direction
// `came_as`). In at A then out at B = carried there in a vehicle; out at A then in at B = moved between the operator's pools.
// Dated by the second swap; aggregated per station pair before the stations' provinces are read; province (and a
// province-limited key's provinces): of either station.
// mode: read
// params: since: datetime or null, until: datetime or null, province: str or null, provinces: list[str] or null, chemistry: str or null
// returns: source (station id), target (station id), batteries (int: moves), carried (int), transferred (int), distinct_batteries (int), kg (float: sum of mass_kg over moves)
MATCH (b:Battery)-[s:SWAPPED_AT]->(z:SwapStation)
WHERE s.came_from IS NOT NULL
  AND ($since IS NULL OR s.at >= $since)
  AND ($until IS NULL OR s.at < $until)
  AND ($chemistry IS NULL OR b.chemistry = $chemistry)
WITH s.came_from AS source, z,
     count(*) AS batteries,
     count(CASE WHEN s.came_as = 'in' AND s.direction = 'out' THEN 1 END) AS carried,
     count(CASE WHEN s.came_as = 'out' AND s.direction = 'in' THEN 1 END) AS transferred,
     count(DISTINCT b) AS distinct_batteries,
     sum(coalesce(b.mass_kg, 0.0)) AS kg
MATCH (a:SwapStation {id: source})
WITH a, z, batteries, carried, transferred, distinct_batteries, kg
WHERE ($province IS NULL OR a.province = $province OR z.province = $province)
  AND ($provinces IS NULL OR a.province IN $provinces OR z.province IN $provinces)
RETURN a.id AS source,
       z.id AS target,
       batteries,
       carried,
       transferred,
       distinct_batteries,
       kg
