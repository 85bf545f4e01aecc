// The modules of a pack and the cells of those modules (nesting is at most two levels deep).
// mode: read
// params: code: str
// returns: code, level, parent, depth (1 = direct component), status
MATCH (b:Battery {code: $code})<-[:PART_OF*1..2]-(part:Battery)
MATCH (part)-[:PART_OF]->(parent:Battery)
RETURN part.code AS code,
       part.level AS level,
       parent.code AS parent,
       CASE parent.code WHEN $code THEN 1 ELSE 2 END AS depth,
       part.status AS status
ORDER BY depth, code
