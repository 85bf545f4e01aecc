// Which of the given event ids are already stored, with their content hash (idempotency check).
// mode: read
// params: ids: list[str]
// returns: event_id (str), content_hash (str), type (str)
UNWIND $ids AS id
MATCH (e:Event {event_id: id})
RETURN e.event_id AS event_id, e.content_hash AS content_hash, e.type AS type
