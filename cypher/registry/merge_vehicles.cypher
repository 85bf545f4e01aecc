// Upsert vehicles and link each to its maker.
// mode: write
// params: rows: list[{vin, maker, model, category, swap_capable}]
// returns: nothing
UNWIND $rows AS row
MATCH (m:Company {uscc: row.maker})
MERGE (v:Vehicle {vin: row.vin})
SET v.maker = row.maker,
    v.model = row.model,
    v.category = row.category,
    v.swap_capable = row.swap_capable,
    v.registered = true
WITH v, m
CALL (v) {
  OPTIONAL MATCH (v)-[r:MADE_BY]->()
  DELETE r
}
CREATE (v)-[:MADE_BY]->(m)
