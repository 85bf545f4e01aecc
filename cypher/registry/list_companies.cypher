// Companies in code order after a cursor, optionally by role and province.
// mode: read
// params: after: str, role: str or null, province: str or null, limit: int
// returns: uscc, name, name_en, roles, province, maker_code, imports_for, licences
MATCH (c:Company)
WHERE c.uscc > $after
  AND ($role IS NULL OR $role IN c.roles)
  AND ($province IS NULL OR c.province = $province)
WITH c
ORDER BY c.uscc
LIMIT $limit
OPTIONAL MATCH (c)-[:HOLDS]->(l:Licence)
WITH c, collect(l) AS ls
RETURN c.uscc AS uscc,
       c.name AS name,
       c.name_en AS name_en,
       c.roles AS roles,
       c.province AS province,
       c.maker_code AS maker_code,
       coalesce(c.imports_for, []) AS imports_for,
       [x IN ls | x {.scope, .valid_from, .valid_to, .batch}] AS licences
ORDER BY uscc
