// What a sweep saw, kept on the feed: when, judged as of when, the events it covered, each rule's time,
// the packs and batteries the store held (the national denominators of the stored summary) and the
// recyclers under a minimum recovery rate in the year to as_of; the packs per province it counted (the provincial
// denominators: counting reads every standing event, which a summary request must not); the log size it started at
// (scoped maintenance goes on from there).
// mode: write
// params: at: datetime, as_of: datetime, events_seen: int, rules: list[str], rule_seconds: list[float], packs: int, batteries: int, recovery_below: list[str], province_codes: list[str], province_packs: list[int], log_seen: int
// returns: nothing
MATCH (f:FindingFeed {id: 'findings'})
SET f.swept_at = $at, f.as_of = $as_of, f.events_seen = $events_seen, f.rules = $rules, f.rule_seconds = $rule_seconds,
    f.packs = $packs, f.batteries = $batteries, f.recovery_below = $recovery_below,
    f.province_codes = $province_codes, f.province_packs = $province_packs, f.log_seen = $log_seen,
    f.sweep_claim = null
