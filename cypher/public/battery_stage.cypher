// What a public answer about one battery may read from the projection: the replay's status, whether it is a second-life product or was ever in a vehicle, and the licences of its last holder (its recycler, else the company of its latest custody stay).
// mode: read
// params: code: str
// returns: status (str or null), second_life_product (bool), was_installed (bool), holder_known (bool), licences (list of maps: scope, valid_from, valid_to, batch)
MATCH (b:Battery {code: $code})
WITH b,
     COLLECT { MATCH (b)-[r:RECYCLED_BY]->(c:Company) RETURN c ORDER BY r.at DESC LIMIT 1 }
     + COLLECT { MATCH (b)-[h:HELD_BY]->(c:Company) RETURN c ORDER BY h.until IS NULL DESC, h.since DESC LIMIT 1 } AS holders
WITH b, head(holders) AS holder
RETURN b.status AS status,
       EXISTS { (b)-[:DERIVED_FROM]->(:Battery) } AS second_life_product,
       EXISTS { (b)-[:INSTALLED_IN]->(:Vehicle) } AS was_installed,
       holder IS NOT NULL AS holder_known,
       COLLECT {
         MATCH (holder)-[:HOLDS]->(l:Licence)
         RETURN l {.scope, .valid_from, .valid_to, .batch} AS licence
       } AS licences
