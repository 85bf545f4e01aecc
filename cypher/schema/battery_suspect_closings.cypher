// double_presence starts from the few batteries whose projection saw an installation closed by an event
// naming another vehicle (null elsewhere, so the index holds only those).
// mode: schema
// params: none
// returns: nothing
CREATE INDEX battery_suspect_closings IF NOT EXISTS FOR (b:Battery) ON (b.suspect_closings)
