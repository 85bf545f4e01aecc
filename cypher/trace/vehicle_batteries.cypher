// Which batteries a vehicle carried, from when to when (open until = still installed), with the events that put each in and took it out: their type and, for a swap, the station (id and name).
// mode: read
// params: vin: str
// returns: code, level, since, until, since_event, until_event, since_type, until_type, since_station, since_station_name, until_station, until_station_name
MATCH (v:Vehicle {vin: $vin})<-[i:INSTALLED_IN]-(b:Battery)
OPTIONAL MATCH (put:Event {event_id: i.since_event})
OPTIONAL MATCH (put)-[:AT]->(put_at:SwapStation)
OPTIONAL MATCH (took:Event {event_id: i.until_event})
OPTIONAL MATCH (took)-[:AT]->(took_at:SwapStation)
RETURN b.code AS code,
       b.level AS level,
       i.since AS since,
       i.until AS until,
       i.since_event AS since_event,
       i.until_event AS until_event,
       put.type AS since_type,
       took.type AS until_type,
       put_at.id AS since_station,
       put_at.name AS since_station_name,
       took_at.id AS until_station,
       took_at.name AS until_station_name
ORDER BY since, code
