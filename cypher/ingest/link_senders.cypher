// Link receipts to the company they came from.
// mode: write
// params: rows: list[{event_id, uscc}]
// returns: nothing
UNWIND $rows AS row
MATCH (e:Event {event_id: row.event_id})
MATCH (c:Company {uscc: row.uscc})
CREATE (e)-[:FROM]->(c)
