// The logged events in log order from index $start: the whole-log audit and the upgrade read them in pages.
// mode: read
// params: start: int, limit: int
// returns: event_id, index, payload, content_hash, recorded_at, imported, reporter
MATCH (e:Event)
WHERE e.log_index >= $start
WITH e
ORDER BY e.log_index
LIMIT $limit
RETURN e.event_id AS event_id, e.log_index AS index, e.payload AS payload, e.content_hash AS content_hash,
       e.recorded_at AS recorded_at, coalesce(e.imported, false) AS imported, e.reporter AS reporter
