// Stored findings by battery: a scoped maintenance reads the findings of the batteries an ingest touched.
// mode: schema
// params: none
// returns: nothing
CREATE INDEX finding_battery IF NOT EXISTS FOR (x:Finding) ON (x.battery)
