// Link swap events to their station.
// mode: write
// params: rows: list[{event_id, station}]
// returns: nothing
UNWIND $rows AS row
MATCH (e:Event {event_id: row.event_id})
MATCH (s:SwapStation {id: row.station})
CREATE (e)-[:AT]->(s)
