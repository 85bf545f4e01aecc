// Every event about one battery in event time, with its reporter, recording time and corrections, and the vehicle events (sale, scrapping, export) of every vehicle it was installed in, while installed.
// Vehicle events come with role 'vehicle'. Their vehicles and times are the projection's INSTALLED_IN
// intervals (the same replay), widened by a second so that no millisecond rounding drops one: the trace
// keeps exactly those inside the replay's own intervals. A seek each on the (vehicle, type) index, named:
// with the vehicle taken from a relationship the planner may otherwise scan every event per vehicle.
// mode: read
// params: code: str
// returns: status (the battery's, same on every row), event_id, type, role, occurred_at, recorded_at, imported, reporter (map: uscc, name, roles), station_operator (str or null), payload (JSON str), corrected_by (list[str])
MATCH (b:Battery {code: $code})
CALL (b) {
  MATCH (b)<-[a:ABOUT]-(e:Event)
  RETURN e, a.role AS role
  UNION ALL
  MATCH (b)-[i:INSTALLED_IN]->(v:Vehicle)
  MATCH (e:Event {vehicle: v.vin})
  USING INDEX e:Event(vehicle, type)
  WHERE e.type IN ['vehicle_sold', 'vehicle_scrapped', 'vehicle_exported']
    AND e.occurred_at >= i.since - duration({seconds: 1})
    AND (i.until IS NULL OR e.occurred_at <= i.until + duration({seconds: 1}))
  WITH DISTINCT e
  RETURN e, 'vehicle' AS role
}
OPTIONAL MATCH (e)-[:REPORTED_BY]->(r:Company)
OPTIONAL MATCH (e)-[:AT]->(st:SwapStation)
RETURN b.status AS status,
       e.event_id AS event_id,
       e.type AS type,
       role,
       e.occurred_at AS occurred_at,
       e.recorded_at AS recorded_at,
       coalesce(e.imported, false) AS imported,
       {uscc: r.uscc, name: r.name, roles: r.roles} AS reporter,
       st.operator AS station_operator,
       e.payload AS payload,
       COLLECT { MATCH (e)<-[:CORRECTS]-(c:Event) RETURN c.event_id } AS corrected_by
ORDER BY occurred_at, event_id
