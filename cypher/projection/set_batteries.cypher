// Write each battery's derived state: status, where it is, and what its production event said.
// mode: write
// params: rows: list[{code, status, status_since, produced, current_vin, current_holder, last_event_at, event_count, chemistry, mass_kg, capacity_kwh, produced_at, producer}]
// returns: nothing
UNWIND $rows AS row
MATCH (b:Battery {code: row.code})
SET b += row
