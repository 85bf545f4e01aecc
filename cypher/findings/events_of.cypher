// The events a company names in its answer to a finding: which exist and who reported them.
// mode: read
// params: ids: list[str]
// returns: event_id, reporter
UNWIND $ids AS id
MATCH (e:Event {event_id: id})
RETURN e.event_id AS event_id, e.reporter AS reporter
