// double_presence starts from the few codes the projection saw produced twice or listed under two parents
// (null elsewhere, so the index holds only those).
// mode: schema
// params: none
// returns: nothing
CREATE INDEX battery_produced_repeatedly IF NOT EXISTS FOR (b:Battery) ON (b.produced_repeatedly)
