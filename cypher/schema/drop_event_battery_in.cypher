// Retire the index event_battery_in (battery_in, type): no query filters events on battery_in any more (the
// rules read swaps from the projection), and no EXPLAIN plan of any query under cypher/ names it
// (bench/index_uses.py; docs/scaling.md). Stores created before keep it until the next start applies the schema;
// dropping an index changes no answer.
// mode: schema
// params: none
// returns: nothing
DROP INDEX event_battery_in IF EXISTS
