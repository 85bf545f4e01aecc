// What the last sweep recorded, and how many events the store holds now (the count store: no scan) and the
// log (its size: events logged at positions below it); where scoped maintenance reached (log_seen);
// since when the tallies of unresolved findings are kept (tallied_at).
// mode: read
// params: none
// returns: seq (int or null), swept_at (datetime or null), as_of (datetime or null), events_seen (int or null), events_now (int), rules (list[str] or null), rule_seconds (list[float] or null), packs (int or null), batteries (int or null), recovery_below (list[str] or null), province_codes (list[str] or null), province_packs (list[int] or null), log_seen (int or null), log_size (int), maintained_at (datetime or null), tallied_at (datetime or null)
OPTIONAL MATCH (f:FindingFeed {id: 'findings'})
WITH f
CALL () {
  MATCH (e:Event)
  RETURN count(e) AS events_now
}
OPTIONAL MATCH (l:Log {name: 'events'})
RETURN f.seq AS seq, f.swept_at AS swept_at, f.as_of AS as_of, f.events_seen AS events_seen, events_now,
       f.rules AS rules, f.rule_seconds AS rule_seconds, f.packs AS packs, f.batteries AS batteries,
       f.recovery_below AS recovery_below, f.province_codes AS province_codes, f.province_packs AS province_packs,
       f.log_seen AS log_seen, coalesce(l.size, 0) AS log_size,
       f.maintained_at AS maintained_at, f.tallied_at AS tallied_at
