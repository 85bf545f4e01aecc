// Store new events (never edited afterwards) and link each to its reporter.
// mode: write
// params: rows: list[map of Event properties, including event_id and reporter]
// returns: nothing
UNWIND $rows AS row
CREATE (e:Event)
SET e = row
WITH e, row
MATCH (c:Company {uscc: row.reporter})
CREATE (e)-[:REPORTED_BY]->(c)
