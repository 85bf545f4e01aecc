// Every event about one battery in event time, with its reporter, recording time and corrections.
// mode: read
// params: code: str
// returns: status (the battery's, same on every row), event_id, type, role, occurred_at, recorded_at, imported, reporter (map: uscc, name, roles), station_operator (str or null), payload (JSON str), corrected_by (list[str])
MATCH (b:Battery {code: $code})<-[a:ABOUT]-(e:Event)
OPTIONAL MATCH (e)-[:REPORTED_BY]->(r:Company)
OPTIONAL MATCH (e)-[:AT]->(st:SwapStation)
RETURN b.status AS status,
       e.event_id AS event_id,
       e.type AS type,
       a.role AS role,
       e.occurred_at AS occurred_at,
       e.recorded_at AS recorded_at,
       coalesce(e.imported, false) AS imported,
       {uscc: r.uscc, name: r.name, roles: r.roles} AS reporter,
       st.operator AS station_operator,
       e.payload AS payload,
       COLLECT { MATCH (e)<-[:CORRECTS]-(c:Event) RETURN c.event_id } AS corrected_by
ORDER BY occurred_at, event_id
