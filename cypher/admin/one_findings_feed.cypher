// Before the feed's constraint exists: a store in which two feeds were created at once keeps the one
// that has given the most positions (ties: the older node) so that no position is ever given twice.
// mode: write
// params: none
// returns: removed (int)
MATCH (f:FindingFeed {id: 'findings'})
WITH f ORDER BY coalesce(f.seq, 0) DESC, elementId(f)
WITH collect(f) AS feeds
UNWIND feeds[1..] AS extra
DETACH DELETE extra
RETURN count(*) AS removed
