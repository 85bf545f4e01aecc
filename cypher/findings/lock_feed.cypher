// Take the findings feed's lock first in every transaction that changes findings: changes then get
// their positions in commit order, so a reader polling after a position never misses one.
// Also answers what the last sweep recorded, and since when the tallies are kept.
// mode: write
// params: at: datetime
// returns: seq (int), swept_at (datetime or null), as_of (datetime or null), events_seen (int or null), log_seen (int or null), maintained_at (datetime or null), tallied_at (datetime or null)
MERGE (f:FindingFeed {id: 'findings'})
  ON CREATE SET f.seq = 0
SET f.locked_at = $at
RETURN f.seq AS seq, f.swept_at AS swept_at, f.as_of AS as_of, f.events_seen AS events_seen, f.log_seen AS log_seen,
       f.maintained_at AS maintained_at, f.tallied_at AS tallied_at
