// Upsert companies; their licences are replaced by the ones sent (the list is the truth).
// mode: write
// params: rows: list[{uscc, name, roles, province, maker_code, licences: list[{id, scope, valid_from, valid_to, batch}]}]
// returns: nothing
UNWIND $rows AS row
MERGE (c:Company {uscc: row.uscc})
SET c.name = row.name,
    c.roles = row.roles,
    c.province = row.province,
    c.maker_code = row.maker_code,
    c.registered = true
WITH c, row
CALL (c) {
  OPTIONAL MATCH (c)-[:HOLDS]->(old:Licence)
  DETACH DELETE old
}
WITH c, row
UNWIND row.licences AS lic
CREATE (c)-[:HOLDS]->(:Licence {
  id: lic.id, uscc: row.uscc, scope: lic.scope, valid_from: lic.valid_from, valid_to: lic.valid_to, batch: lic.batch
})
