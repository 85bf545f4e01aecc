// Upsert swap stations and link each to its operating company.
// mode: write
// params: rows: list[{id, operator, province, name, lat, lon}]
// returns: nothing
UNWIND $rows AS row
MATCH (op:Company {uscc: row.operator})
MERGE (s:SwapStation {id: row.id})
SET s.operator = row.operator,
    s.province = row.province,
    s.name = row.name,
    s.location = CASE WHEN row.lat IS NULL THEN null ELSE point({latitude: row.lat, longitude: row.lon}) END
WITH s, op
CALL (s) {
  OPTIONAL MATCH (s)-[r:OPERATED_BY]->()
  DELETE r
}
CREATE (s)-[:OPERATED_BY]->(op)
