// A company's latest events, by recording time (newest first): what it sent, when, the batteries each names, its place in the verifiable log (null until logged) and whether a later event corrected it. Starts from the event_reporter index; $limit bounds the answer.
// mode: read
// params: company: str, limit: int
// returns: event_id, type, occurred_at, recorded_at, log_index, vehicle, station, batteries, corrected
MATCH (e:Event {reporter: $company})
WITH e
ORDER BY e.recorded_at DESC, e.event_id DESC
LIMIT $limit
OPTIONAL MATCH (e)-[:ABOUT]->(b:Battery)
WITH e, collect(DISTINCT b.code) AS batteries
RETURN e.event_id AS event_id,
       e.type AS type,
       e.occurred_at AS occurred_at,
       e.recorded_at AS recorded_at,
       e.log_index AS log_index,
       e.vehicle AS vehicle,
       e.station AS station,
       batteries,
       EXISTS { (e)<-[:CORRECTS]-(:Event) } AS corrected
ORDER BY recorded_at DESC, event_id DESC
