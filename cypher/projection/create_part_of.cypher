// Cell -> module -> pack nesting, from the parent's production event.
// mode: write
// params: rows: list[{code, parent, at, event_id}]
// returns: nothing
UNWIND $rows AS row
MATCH (b:Battery {code: row.code})
MATCH (p:Battery {code: row.parent})
CREATE (b)-[:PART_OF {since: datetime(row.at), event_id: row.event_id}]->(p)
