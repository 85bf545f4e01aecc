// Upsert vehicles: a change keeps the superseded record as a VehicleVersion, identical content writes nothing.
// mode: write
// params: rows: list[{vin, maker, model, category, swap_capable}], now: datetime, changed_by: str
// returns: outcome (str: created, changed or unchanged), n (int)
// A Vehicle node an event made before the registry knew it (registered = false) counts as created.
UNWIND $rows AS row
MATCH (m:Company {uscc: row.maker})
OPTIONAL MATCH (old:Vehicle {vin: row.vin})
WITH row, m, old,
     CASE
       WHEN old IS NULL OR NOT coalesce(old.registered, false) THEN 'created'
       WHEN old.maker = row.maker
            AND coalesce(old.model, '\u0000') = coalesce(row.model, '\u0000')
            AND coalesce(old.category, '\u0000') = coalesce(row.category, '\u0000')
            AND coalesce(old.swap_capable, false) = coalesce(row.swap_capable, false)
         THEN 'unchanged'
       ELSE 'changed'
     END AS outcome
CALL (old, outcome) {
  WITH old
  WHERE outcome = 'changed'
  CREATE (old)-[:VERSION]->(:VehicleVersion {
    vin: old.vin, maker: old.maker, model: old.model, category: old.category, swap_capable: old.swap_capable,
    valid_from: old.valid_from, valid_to: $now, changed_by: old.changed_by
  })
}
CALL (row, m, outcome) {
  WITH row, m
  WHERE outcome <> 'unchanged'
  MERGE (v:Vehicle {vin: row.vin})
  SET v.maker = row.maker,
      v.model = row.model,
      v.category = row.category,
      v.swap_capable = row.swap_capable,
      v.registered = true,
      v.valid_from = $now,
      v.changed_by = $changed_by
  WITH v, m
  CALL (v) {
    OPTIONAL MATCH (v)-[r:MADE_BY]->()
    DELETE r
  }
  CREATE (v)-[:MADE_BY]->(m)
}
RETURN outcome, count(*) AS n
