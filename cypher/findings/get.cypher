// One stored finding by its id, with the feed's last sweep (an unresolved finding was last seen then).
// mode: read
// params: id: str
// returns: finding (map of the Finding's properties), swept_at (datetime or null)
MATCH (x:Finding {id: $id})
OPTIONAL MATCH (f:FindingFeed {id: 'findings'})
RETURN properties(x) AS finding, f.swept_at AS swept_at
