// Retire the index battery_status (status): the listings filter with `($status IS NULL OR b.status = $status)`
// and silent_battery with `NOT b.status IN [...]` after its last_event_at seek, neither of which an index seek
// serves (no EXPLAIN plan of any query under cypher/ names it: bench/index_uses.py; docs/scaling.md). Stores
// created before keep it until the next start applies the schema; dropping an index changes no answer.
// mode: schema
// params: none
// returns: nothing
DROP INDEX battery_status IF EXISTS
