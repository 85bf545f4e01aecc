// Rules and station look-ups scan events by type within a time window.
// mode: schema
// params: none
// returns: nothing
CREATE INDEX event_type_time IF NOT EXISTS FOR (e:Event) ON (e.type, e.occurred_at)
