// Upsert companies: a change keeps the superseded record (its licences as keys) as a CompanyVersion; identical content writes nothing.
// mode: write
// params: rows: list[{uscc, name, name_en, roles, province, maker_code, imports_for: list[str], licence_keys: list[str], licences: list[{id, scope, valid_from, valid_to, batch}]}], now: datetime, changed_by: str
// returns: outcome (str: created, changed or unchanged), n (int)
// A licence key is 'scope|valid_from|valid_to|batch' (empty for none); the licences sent replace those held.
UNWIND $rows AS row
OPTIONAL MATCH (old:Company {uscc: row.uscc})
WITH row, old,
     COLLECT {
       MATCH (old)-[:HOLDS]->(l:Licence)
       WITH l.scope + '|' + toString(l.valid_from) + '|' + coalesce(toString(l.valid_to), '') + '|' + coalesce(toString(l.batch), '') AS k
       RETURN k
       ORDER BY k
     } AS held
WITH row, old, held,
     CASE
       WHEN old IS NULL OR NOT coalesce(old.registered, false) THEN 'created'
       WHEN old.name = row.name
            AND coalesce(old.name_en, '') = coalesce(row.name_en, '')
            AND old.roles = row.roles
            AND coalesce(old.province, '') = row.province
            AND coalesce(old.maker_code, '') = coalesce(row.maker_code, '')
            AND coalesce(old.imports_for, []) = row.imports_for
            AND held = row.licence_keys
         THEN 'unchanged'
       ELSE 'changed'
     END AS outcome
CALL (old, held, outcome) {
  WITH old, held
  WHERE outcome = 'changed'
  CREATE (old)-[:VERSION]->(:CompanyVersion {
    uscc: old.uscc, name: old.name, name_en: old.name_en, roles: old.roles, province: old.province, maker_code: old.maker_code,
    imports_for: coalesce(old.imports_for, []),
    licences: held, valid_from: old.valid_from, valid_to: $now, changed_by: old.changed_by
  })
}
CALL (row, outcome) {
  WITH row
  WHERE outcome <> 'unchanged'
  MERGE (c:Company {uscc: row.uscc})
  SET c.name = row.name,
      c.name_en = row.name_en,
      c.roles = row.roles,
      c.province = row.province,
      c.maker_code = row.maker_code,
      c.imports_for = row.imports_for,
      c.registered = true,
      c.valid_from = $now,
      c.changed_by = $changed_by
  WITH c, row
  CALL (c) {
    OPTIONAL MATCH (c)-[:HOLDS]->(gone:Licence)
    DETACH DELETE gone
  }
  WITH c, row
  UNWIND row.licences AS lic
  CREATE (c)-[:HOLDS]->(:Licence {
    id: lic.id, uscc: row.uscc, scope: lic.scope, valid_from: lic.valid_from, valid_to: lic.valid_to, batch: lic.batch
  })
}
RETURN outcome, count(*) AS n
