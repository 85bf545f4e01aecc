// Retire the index battery_maker_level (maker_code, level): the listings filter with
// `($maker IS NULL OR b.maker_code = $maker)`, which no index seek serves (no EXPLAIN plan of any query under
// cypher/ names it: bench/index_uses.py; docs/scaling.md). Stores created before keep it until the next start
// applies the schema; dropping an index changes no answer.
// mode: schema
// params: none
// returns: nothing
DROP INDEX battery_maker_level IF EXISTS
