// The stored findings a scoped maintenance compares with: the unresolved ones of its batteries, every
// unresolved one about no battery (the service keeps those of its vehicles and recyclers: few, and their
// subject is in the details), and those it found again that were resolved.
// mode: read
// params: batteries: list[str], ids: list[str]
// returns: id, status, resolved (bool), digest, rule, battery (str or null), company (str or null), details (str or null)
UNWIND $batteries AS code
MATCH (x:Finding {battery: code})
WHERE x.resolved_at IS NULL
RETURN x.id AS id, x.status AS status, false AS resolved, x.digest AS digest, x.rule AS rule, x.battery AS battery,
       x.company AS company, x.details AS details
UNION
MATCH (x:Finding)
WHERE x.battery IS NULL AND x.resolved_at IS NULL
RETURN x.id AS id, x.status AS status, false AS resolved, x.digest AS digest, x.rule AS rule, x.battery AS battery,
       x.company AS company, x.details AS details
UNION
UNWIND $ids AS id
MATCH (x:Finding {id: id})
WHERE x.resolved_at IS NOT NULL
RETURN x.id AS id, x.status AS status, true AS resolved, x.digest AS digest, x.rule AS rule, x.battery AS battery,
       x.company AS company, x.details AS details
