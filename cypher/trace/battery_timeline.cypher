// Every event about one battery in event time, with its reporter, recording time and corrections, and the vehicle events (sale, scrapping, export) of every vehicle it was installed in.
// Vehicle events come with role 'vehicle' and from every time; the trace keeps those inside the replay's
// installation intervals. The vehicles are the projection's INSTALLED_IN (the same replay); their events
// are a seek each on the (vehicle, type) index, named: with the vehicle from a
// DISTINCT the planner may otherwise scan every event per vehicle.
// mode: read
// params: code: str
// returns: status (the battery's, same on every row), event_id, type, role, occurred_at, recorded_at, imported, reporter (map), payload (JSON str), corrected_by (list[str])
MATCH (b:Battery {code: $code})
CALL (b) {
  MATCH (b)<-[a:ABOUT]-(e:Event)
  RETURN e, a.role AS role
  UNION ALL
  MATCH (b)-[:INSTALLED_IN]->(v:Vehicle)
  WITH DISTINCT v.vin AS vin
  MATCH (e:Event {vehicle: vin})
  USING INDEX e:Event(vehicle, type)
  WHERE e.type IN ['vehicle_sold', 'vehicle_scrapped', 'vehicle_exported']
  RETURN e, 'vehicle' AS role
}
OPTIONAL MATCH (e)-[:REPORTED_BY]->(r:Company)
RETURN b.status AS status,
       e.event_id AS event_id,
       e.type AS type,
       role,
       e.occurred_at AS occurred_at,
       e.recorded_at AS recorded_at,
       coalesce(e.imported, false) AS imported,
       {uscc: r.uscc, name: r.name} AS reporter,
       e.payload AS payload,
       COLLECT { MATCH (e)<-[:CORRECTS]-(c:Event) RETURN c.event_id } AS corrected_by
ORDER BY occurred_at, event_id
