// lost_in_transit starts from the batteries whose slowest shipment took at least the limit in calendar days
// (or has no receipt): a range seek instead of every shipment in the store.
// mode: schema
// params: none
// returns: nothing
CREATE INDEX battery_longest_transit IF NOT EXISTS FOR (b:Battery) ON (b.longest_transit_days)
