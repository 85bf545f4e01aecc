// Every version of one company, oldest first, its licences as keys; the last is the current record (valid_to null).
// mode: read
// params: uscc: str
// returns: name, name_en, roles, province, maker_code, imports_for, licences (list of 'scope|valid_from|valid_to|batch'), valid_from, valid_to, changed_by
MATCH (c:Company {uscc: $uscc})
CALL (c) {
  MATCH (c)-[:VERSION]->(v:CompanyVersion)
  RETURN v AS version, v.licences AS licences, v.valid_to AS valid_to, 0 AS current
  UNION ALL
  RETURN c AS version,
         COLLECT {
           MATCH (c)-[:HOLDS]->(l:Licence)
           WITH l.scope + '|' + toString(l.valid_from) + '|' + coalesce(toString(l.valid_to), '') + '|' + coalesce(toString(l.batch), '') AS k
           RETURN k
           ORDER BY k
         } AS licences,
         null AS valid_to,
         1 AS current
}
WITH version, licences, valid_to, current
ORDER BY current, valid_to
RETURN version.name AS name,
       version.name_en AS name_en,
       version.roles AS roles,
       version.province AS province,
       version.maker_code AS maker_code,
       coalesce(version.imports_for, []) AS imports_for,
       licences,
       version.valid_from AS valid_from,
       valid_to,
       version.changed_by AS changed_by
