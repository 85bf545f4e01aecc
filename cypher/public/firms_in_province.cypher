// The public white list of one province: its companies of the given roles (dismantlers, second-life firms, recyclers, service points) with all their licences; the service decides which are in force.
// mode: read
// params: province: str, roles: list[str]
// returns: uscc, name, name_en, roles, licences (list of maps: scope, valid_from, valid_to, batch)
MATCH (c:Company)
WHERE c.province = $province
  AND any(r IN c.roles WHERE r IN $roles)
RETURN c.uscc AS uscc,
       c.name AS name,
       c.name_en AS name_en,
       c.roles AS roles,
       COLLECT {
         MATCH (c)-[:HOLDS]->(l:Licence)
         RETURN l {.scope, .valid_from, .valid_to, .batch} AS licence
         ORDER BY l.valid_from
       } AS licences
ORDER BY uscc
