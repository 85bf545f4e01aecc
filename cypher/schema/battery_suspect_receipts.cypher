// unexplained_source starts from the few batteries whose projection found a suspect receipt (null elsewhere,
// so the index holds only those).
// mode: schema
// params: none
// returns: nothing
CREATE INDEX battery_suspect_receipts IF NOT EXISTS FOR (b:Battery) ON (b.suspect_receipts)
