// One company with its licences.
// mode: read
// params: uscc: str
// returns: uscc, name, name_en, roles, province, maker_code, imports_for, licences (list of maps)
MATCH (c:Company {uscc: $uscc})
OPTIONAL MATCH (c)-[:HOLDS]->(l:Licence)
WITH c, l
ORDER BY l.valid_from
RETURN c.uscc AS uscc,
       c.name AS name,
       c.name_en AS name_en,
       c.roles AS roles,
       c.province AS province,
       c.maker_code AS maker_code,
       coalesce(c.imports_for, []) AS imports_for,
       [x IN collect(l) | x {.scope, .valid_from, .valid_to, .batch}] AS licences
