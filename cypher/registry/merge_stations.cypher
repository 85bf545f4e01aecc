// Upsert swap stations: a change keeps the superseded record as a StationVersion, identical content writes nothing.
// mode: write
// params: rows: list[{id, operator, province, name, lat, lon}], now: datetime, changed_by: str
// returns: outcome (str: created, changed or unchanged), n (int)
UNWIND $rows AS row
MATCH (op:Company {uscc: row.operator})
OPTIONAL MATCH (old:SwapStation {id: row.id})
WITH row, op, old,
     CASE
       WHEN old IS NULL THEN 'created'
       WHEN old.operator = row.operator
            AND old.province = row.province
            AND coalesce(old.name, '\u0000') = coalesce(row.name, '\u0000')
            AND coalesce(old.location.latitude, -999.0) = coalesce(row.lat, -999.0)
            AND coalesce(old.location.longitude, -999.0) = coalesce(row.lon, -999.0)
         THEN 'unchanged'
       ELSE 'changed'
     END AS outcome
CALL (old, outcome) {
  WITH old
  WHERE outcome = 'changed'
  CREATE (old)-[:VERSION]->(:StationVersion {
    id: old.id, operator: old.operator, province: old.province, name: old.name, location: old.location,
    valid_from: old.valid_from, valid_to: $now, changed_by: old.changed_by
  })
}
CALL (row, op, outcome) {
  WITH row, op
  WHERE outcome <> 'unchanged'
  MERGE (s:SwapStation {id: row.id})
  SET s.operator = row.operator,
      s.province = row.province,
      s.name = row.name,
      s.location = CASE WHEN row.lat IS NULL THEN null ELSE point({latitude: row.lat, longitude: row.lon}) END,
      s.valid_from = $now,
      s.changed_by = $changed_by
  WITH s, op
  CALL (s) {
    OPTIONAL MATCH (s)-[r:OPERATED_BY]->()
    DELETE r
  }
  CREATE (s)-[:OPERATED_BY]->(op)
}
RETURN outcome, count(*) AS n
