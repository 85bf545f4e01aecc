// double_presence finds, for an event naming a vehicle, the installation that event closed.
// mode: schema
// params: none
// returns: nothing
CREATE INDEX installed_in_until_event IF NOT EXISTS FOR ()-[i:INSTALLED_IN]-() ON (i.until_event)
