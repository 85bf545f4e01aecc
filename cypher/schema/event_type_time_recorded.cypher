// late_report scans judged events by type and time and compares recorded_at with occurred_at: with
// recorded_at in the index too, that test reads no event from the store (the query names this index).
// mode: schema
// params: none
// returns: nothing
CREATE INDEX event_type_time_recorded IF NOT EXISTS FOR (e:Event) ON (e.type, e.occurred_at, e.recorded_at)
