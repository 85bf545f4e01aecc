// How far the kept custody flows are behind the event log: the log size they were last refreshed at, and the size now.
// Events are logged in commit order, each ingest's in its own transaction (app.services.ledger), so every event at a
// log index below `upto` had its stays projected before the flows were refreshed.
// mode: read
// params: none
// returns: upto (int or null: never refreshed), size (int: events in the log now), refreshed_at (datetime or null)
OPTIONAL MATCH (k:KeptFlows {name: 'custody'})
OPTIONAL MATCH (l:Log {name: 'events'})
RETURN k.upto AS upto, coalesce(l.size, 0) AS size, k.refreshed_at AS refreshed_at
