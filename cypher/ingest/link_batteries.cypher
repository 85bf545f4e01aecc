// Link events to the batteries they are about; role says how (subject, out, in, component, new).
// mode: write
// params: rows: list[{event_id, code, role}]
// returns: nothing
UNWIND $rows AS row
MATCH (e:Event {event_id: row.event_id})
MATCH (b:Battery {code: row.code})
CREATE (e)-[:ABOUT {role: row.role}]->(b)
