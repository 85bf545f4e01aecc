// One battery's current state: status, vehicle and custodian now, parent pack, second-life origin.
// mode: read
// params: code: str
// returns: code, level, status, status_since, produced, chemistry, mass_kg, capacity_kwh, produced_at, producer, last_event_at, event_count, current_vehicle (map or null), current_custodian (map or null), parent (str or null), derived_from (str or null), second_life_products (list[str]), component_count (int)
MATCH (b:Battery {code: $code})
OPTIONAL MATCH (b)-[inst:INSTALLED_IN WHERE inst.until IS NULL]->(v:Vehicle)
OPTIONAL MATCH (b)-[held:HELD_BY WHERE held.until IS NULL]->(c:Company)
OPTIONAL MATCH (b)-[:PART_OF]->(parent:Battery)
OPTIONAL MATCH (b)-[:DERIVED_FROM]->(origin:Battery)
RETURN b.code AS code,
       b.level AS level,
       b.status AS status,
       b.status_since AS status_since,
       coalesce(b.produced, false) AS produced,
       b.chemistry AS chemistry,
       b.mass_kg AS mass_kg,
       b.capacity_kwh AS capacity_kwh,
       b.produced_at AS produced_at,
       b.producer AS producer,
       b.last_event_at AS last_event_at,
       coalesce(b.event_count, 0) AS event_count,
       CASE WHEN v IS NULL THEN null ELSE {vin: v.vin, since: inst.since, model: v.model, swap_capable: v.swap_capable} END AS current_vehicle,
       CASE WHEN c IS NULL THEN null ELSE {uscc: c.uscc, name: c.name, roles: c.roles, since: held.since} END AS current_custodian,
       parent.code AS parent,
       origin.code AS derived_from,
       COLLECT { MATCH (b)<-[:DERIVED_FROM]-(p:Battery) RETURN p.code } AS second_life_products,
       COUNT { (b)<-[:PART_OF]-(:Battery) } AS component_count
