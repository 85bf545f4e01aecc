// What recomputes the log entries of the given events: the stored record and the place in the log.
// mode: read
// params: ids: list[str]
// returns: event_id, index, payload, content_hash, recorded_at, imported, reporter
UNWIND $ids AS id
MATCH (e:Event {event_id: id})
RETURN e.event_id AS event_id, e.log_index AS index, e.payload AS payload, e.content_hash AS content_hash,
       e.recorded_at AS recorded_at, coalesce(e.imported, false) AS imported, e.reporter AS reporter
