// A case's history is its changes, found by the finding's id.
// mode: schema
// params: none
// returns: nothing
CREATE INDEX finding_change_finding IF NOT EXISTS FOR (c:FindingChange) ON (c.finding)
