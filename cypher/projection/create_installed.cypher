// Installation intervals: battery in vehicle from since to until (open while installed).
// mode: write
// params: rows: list[{code, vin, since, since_event, until, until_event}]
// returns: nothing
UNWIND $rows AS row
MATCH (b:Battery {code: row.code})
MATCH (v:Vehicle {vin: row.vin})
CREATE (b)-[:INSTALLED_IN {since: datetime(row.since), since_event: row.since_event, until: datetime(row.until), until_event: row.until_event}]->(v)
