// Write each battery's derived state: status, where it is, what its production event said, and the
// leakage candidates the replay found (event ids, null when there are none; the longest transit in days).
// mode: write
// params: rows: list[{code, status, status_since, produced, current_vin, current_holder, last_event_at, event_count, chemistry, mass_kg, capacity_kwh, produced_at, producer, suspect_receipts, suspect_closings, longest_transit_days, produced_repeatedly}]
// returns: nothing
UNWIND $rows AS row
MATCH (b:Battery {code: row.code})
SET b.status = row.status,
    b.status_since = datetime(row.status_since),
    b.produced = row.produced,
    b.current_vin = row.current_vin,
    b.current_holder = row.current_holder,
    b.last_event_at = datetime(row.last_event_at),
    b.event_count = row.event_count,
    b.chemistry = row.chemistry,
    b.mass_kg = row.mass_kg,
    b.capacity_kwh = row.capacity_kwh,
    b.produced_at = datetime(row.produced_at),
    b.producer = row.producer,
    b.suspect_receipts = row.suspect_receipts,
    b.suspect_closings = row.suspect_closings,
    b.longest_transit_days = row.longest_transit_days,
    b.produced_repeatedly = row.produced_repeatedly
