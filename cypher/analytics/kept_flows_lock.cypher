// Take the kept custody flows' lock for a refresh (a second refresh waits here) and read where they stand.
// The log's size is read after the lock: every event below it was committed, stays and all, before this point.
// mode: write
// params: none
// returns: upto (int or null: never refreshed), size (int: events in the log now)
MERGE (k:KeptFlows {name: 'custody'})
SET k.locked_at = datetime()
WITH k
OPTIONAL MATCH (l:Log {name: 'events'})
RETURN k.upto AS upto, coalesce(l.size, 0) AS size
