// Record on the feed that the tallies hold the unresolved findings' counts (they were counted from the
// findings in this transaction); until then a summary counts the findings themselves.
// mode: write
// params: at: datetime
// returns: nothing
MATCH (f:FindingFeed {id: 'findings'})
SET f.tallied_at = $at
