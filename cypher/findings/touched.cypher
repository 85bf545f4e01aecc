// What the events logged at positions [$start, $end) can change: the batteries they (or the events they
// correct) are about, every pack ever in a scrapped or exported vehicle they name or such a battery was in,
// the batteries derived from or into those, the vehicles, and the recyclers that recycled or received one
// of the batteries
// (the dependents are argued rule by rule in app/services/findings/maintain.py).
// mode: read
// params: start: int, end: int
// returns: events (int), batteries (list[str]), vehicles (list[str]), recyclers (list[str])
MATCH (e:Event)
WHERE e.log_index >= $start AND e.log_index < $end
OPTIONAL MATCH (e)-[:CORRECTS]->(c:Event)
WITH count(DISTINCT e) AS events, collect(DISTINCT e) + collect(DISTINCT c) AS named
CALL (named) {
  UNWIND named AS e
  OPTIONAL MATCH (e)-[:ABOUT]->(b:Battery)
  RETURN collect(DISTINCT b) AS direct
}
CALL (named, direct) {
  UNWIND named AS e
  OPTIONAL MATCH (e)-[:INVOLVES]->(v:Vehicle)
  RETURN [x IN collect(DISTINCT v.vin) + collect(DISTINCT e.vehicle) WHERE x IS NOT NULL] AS vins
}
CALL (direct) {
  UNWIND direct AS b
  OPTIONAL MATCH (b)-[:INSTALLED_IN]->(v:Vehicle)
  RETURN [x IN collect(DISTINCT v.vin) WHERE x IS NOT NULL] AS theirs
}
WITH events, direct, vins + theirs AS vins
CALL (vins) {
  // A vehicle's other packs matter only once it is scrapped or exported (a scrapping without its pack, a
  // separation before it, a handover from a scrapped vehicle; a pack that left in an exported one).
  UNWIND vins AS vin
  OPTIONAL MATCH (v:Vehicle {vin: vin})<-[:INSTALLED_IN]-(b:Battery)
  WHERE v.scrapped_at IS NOT NULL OR v.exported_at IS NOT NULL
  RETURN collect(DISTINCT b) AS fellows, collect(DISTINCT vin) AS vehicles
}
CALL (direct) {
  UNWIND direct AS b
  OPTIONAL MATCH (b)-[:DERIVED_FROM]-(o:Battery)
  RETURN collect(DISTINCT o) AS lineage
}
CALL (direct, fellows, lineage) {
  UNWIND direct + fellows + lineage AS b
  RETURN collect(DISTINCT b.code) AS batteries
}
CALL (batteries) {
  UNWIND batteries AS code
  OPTIONAL MATCH (e:Event {battery: code})
  WHERE e.type IN ['recycled', 'received']
  RETURN [x IN collect(DISTINCT e.reporter) WHERE x IS NOT NULL] AS recyclers
}
RETURN events, batteries, vehicles, recyclers
