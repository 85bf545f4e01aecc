// Lock the batteries, then read their effective (uncorrected) events for the projection.
// The lock makes concurrent batches touching one battery recompute one after the other.
// mode: write
// params: codes: list[str]
// returns: code, role, event_id, type, t (epoch ms), occurred_at (RFC 3339 str), reporter, vehicle, station, battery, from_company, to_company, chemistry, mass_kg, capacity_kwh, soh_pct, cycle_count, method, residual_capacity_kwh, application
UNWIND $codes AS code
MATCH (b:Battery {code: code})
SET b.projection_version = coalesce(b.projection_version, 0) + 1
WITH b, code
MATCH (b)<-[a:ABOUT]-(e:Event)
WHERE a.role <> 'correction'
  AND NOT EXISTS { (e)<-[:CORRECTS]-(:Event) }
RETURN code,
       a.role AS role,
       e.event_id AS event_id,
       e.type AS type,
       e.occurred_at.epochMillis AS t,
       toString(e.occurred_at) AS occurred_at,
       e.reporter AS reporter,
       e.vehicle AS vehicle,
       e.station AS station,
       e.battery AS battery,
       e.from_company AS from_company,
       e.to_company AS to_company,
       e.chemistry AS chemistry,
       e.mass_kg AS mass_kg,
       e.capacity_kwh AS capacity_kwh,
       e.soh_pct AS soh_pct,
       e.cycle_count AS cycle_count,
       e.method AS method,
       e.residual_capacity_kwh AS residual_capacity_kwh,
       e.application AS application
