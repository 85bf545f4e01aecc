// Replace the kept custody flow rows of the companies in $sources with $rows, and move the cursor to $upto.
// Runs under the lock kept_flows_lock took, in the same transaction.
// mode: write
// params: sources: list[str], rows: list[{source, target, outcome, batteries, distinct_batteries, unconfirmed, kg}], upto: int
// returns: nothing
MATCH (k:KeptFlows {name: 'custody'})
SET k.upto = $upto, k.refreshed_at = datetime()
WITH k
CALL (k) {
  UNWIND $sources AS uscc
  MATCH (f:CustodyFlow {source: uscc})
  DELETE f
}
CALL (k) {
  UNWIND $rows AS r
  CREATE (:CustodyFlow {
    source: r.source, target: r.target, outcome: r.outcome, batteries: r.batteries,
    distinct_batteries: r.distinct_batteries, unconfirmed: r.unconfirmed, kg: r.kg
  })
}
