// Each vehicle's effective (uncorrected) sale, scrapping and export events, the input of the vehicle replay.
// mode: read
// params: vins: list[str]
// returns: vin, event_id, type, t (epoch ms), occurred_at (RFC 3339 str), reporter, destination (vehicle_exported; else null)
UNWIND $vins AS vin
MATCH (v:Vehicle {vin: vin})<-[:INVOLVES]-(e:Event)
WHERE e.type IN ['vehicle_sold', 'vehicle_scrapped', 'vehicle_exported']
  AND NOT EXISTS { (e)<-[:CORRECTS]-(:Event) }
RETURN vin,
       e.event_id AS event_id,
       e.type AS type,
       e.occurred_at.epochMillis AS t,
       toString(e.occurred_at) AS occurred_at,
       e.reporter AS reporter,
       e.destination AS destination
