// A second-life product keeps the link to the battery it was made from.
// mode: write
// params: rows: list[{code, original, at, event_id}]
// returns: nothing
UNWIND $rows AS row
MATCH (b:Battery {code: row.code})
MATCH (o:Battery {code: row.original})
CREATE (b)-[:DERIVED_FROM {at: datetime(row.at), event_id: row.event_id}]->(o)
