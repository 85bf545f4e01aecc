// Swaps seen from the battery: out of or into a vehicle at a station, with the battery's previous station when it was another.
// mode: write
// params: rows: list[{code, station, at, event_id, direction, vin, came_from, came_as}]
// returns: nothing
UNWIND $rows AS row
MATCH (b:Battery {code: row.code})
MATCH (s:SwapStation {id: row.station})
CREATE (b)-[:SWAPPED_AT {at: datetime(row.at), event_id: row.event_id, direction: row.direction, vin: row.vin, came_from: row.came_from, came_as: row.came_as}]->(s)
