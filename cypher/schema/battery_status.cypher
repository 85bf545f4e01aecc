// Listing and leakage rules filter batteries by status.
// mode: schema
// params: none
// returns: nothing
CREATE INDEX battery_status IF NOT EXISTS FOR (b:Battery) ON (b.status)
