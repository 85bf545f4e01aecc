// What a scoped maintenance covered, kept on the feed: the log positions it reached and the events it
// counted (so that a sweep is not also due for them), and when; it releases the claim.
// mode: write
// params: at: datetime, log_seen: int, events: int
// returns: nothing
MATCH (f:FindingFeed {id: 'findings'})
SET f.log_seen = $log_seen, f.events_seen = coalesce(f.events_seen, 0) + $events, f.maintained_at = $at,
    f.sweep_claim = null
