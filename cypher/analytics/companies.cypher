// Registry attributes of the companies in an analytics graph: name, roles, province, and the scopes of their licences valid on a day.
// mode: read
// params: usccs: list[str], as_of: date
// returns: uscc, name, roles (list[str]), province, scopes (list[str]: scopes of the licences valid on as_of; empty = unlicensed)
UNWIND $usccs AS uscc
MATCH (c:Company {uscc: uscc})
RETURN c.uscc AS uscc,
       c.name AS name,
       c.roles AS roles,
       c.province AS province,
       COLLECT {
         MATCH (c)-[:HOLDS]->(l:Licence)
         WHERE l.valid_from <= $as_of
           AND (l.valid_to IS NULL OR l.valid_to >= $as_of)
         RETURN DISTINCT l.scope
       } AS scopes
