// Every stored event not yet in the log, in recording order: the upgrade appends them once.
// mode: read
// params: none
// returns: event_id, payload, recorded_at, imported
MATCH (e:Event)
WHERE e.log_index IS NULL
RETURN e.event_id AS event_id, e.payload AS payload, e.recorded_at AS recorded_at,
       coalesce(e.imported, false) AS imported
ORDER BY e.recorded_at, e.event_id
