// The record each company had in the registry at each moment, its licences as keys; before its first registration, the first record.
// mode: read
// params: pairs: list[{i, uscc, at}]
// returns: i, uscc, name, roles, province, licences (list of 'scope|valid_from|valid_to|batch'), valid_from, valid_to, changed_by
// Versions are contiguous, so the one valid at a moment is the earliest ending after it, or the current record.
UNWIND $pairs AS p
MATCH (c:Company {uscc: p.uscc})
WHERE c.registered
WITH p, c,
     COLLECT {
       MATCH (c)-[:VERSION]->(v:CompanyVersion)
       WHERE v.valid_to > p.at
       WITH v
       ORDER BY v.valid_to
       LIMIT 1
       RETURN v {.name, .roles, .province, .licences, .valid_from, .valid_to, .changed_by}
     } AS past
WITH p,
     coalesce(
       past[0],
       c {
         .name, .roles, .province, .valid_from, valid_to: null, .changed_by,
         licences: COLLECT {
           MATCH (c)-[:HOLDS]->(l:Licence)
           WITH l.scope + '|' + toString(l.valid_from) + '|' + coalesce(toString(l.valid_to), '') + '|' + coalesce(toString(l.batch), '') AS k
           RETURN k
           ORDER BY k
         }
       }
     ) AS then
RETURN p.i AS i,
       p.uscc AS uscc,
       then.name AS name,
       then.roles AS roles,
       then.province AS province,
       then.licences AS licences,
       then.valid_from AS valid_from,
       then.valid_to AS valid_to,
       then.changed_by AS changed_by
