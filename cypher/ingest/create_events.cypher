// Store new events (never edited afterwards) and link each to its reporter.
// mode: write
// params: rows: list[map of Event properties; occurred_at and recorded_at as RFC 3339 text]
// returns: nothing
UNWIND $rows AS row
CREATE (e:Event)
SET e = row,
    e.occurred_at = datetime(row.occurred_at),
    e.recorded_at = datetime(row.recorded_at)
WITH e, row
MATCH (c:Company {uscc: row.reporter})
CREATE (e)-[:REPORTED_BY]->(c)
