// Link events to the vehicle they name.
// mode: write
// params: rows: list[{event_id, vin}]
// returns: nothing
UNWIND $rows AS row
MATCH (e:Event {event_id: row.event_id})
MATCH (v:Vehicle {vin: row.vin})
CREATE (e)-[:INVOLVES]->(v)
