// The kept custody flows are replaced per source company when that company's stays change.
// mode: schema
// params: none
// returns: nothing
CREATE INDEX custody_flow_source IF NOT EXISTS FOR (f:CustodyFlow) ON (f.source)
