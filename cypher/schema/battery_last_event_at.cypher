// silent_battery seeks batteries whose last event is older than a service life.
// mode: schema
// params: none
// returns: nothing
CREATE INDEX battery_last_event_at IF NOT EXISTS FOR (b:Battery) ON (b.last_event_at)
