// The recycler that recovered the battery's materials.
// mode: write
// params: rows: list[{code, uscc, at, event_id}]
// returns: nothing
UNWIND $rows AS row
MATCH (b:Battery {code: row.code})
MATCH (c:Company {uscc: row.uscc})
CREATE (b)-[:RECYCLED_BY {at: datetime(row.at), event_id: row.event_id}]->(c)
