// Custody intervals: battery held by a company from since to until (open while held), with how the stay ended.
// mode: write
// params: rows: list[{code, uscc, since, since_event, until, until_event, outcome, next, unconfirmed}]
// returns: nothing
UNWIND $rows AS row
MATCH (b:Battery {code: row.code})
MATCH (c:Company {uscc: row.uscc})
CREATE (b)-[:HELD_BY {since: datetime(row.since), since_event: row.since_event, until: datetime(row.until), until_event: row.until_event, outcome: row.outcome, next: row.next, unconfirmed: row.unconfirmed}]->(c)
