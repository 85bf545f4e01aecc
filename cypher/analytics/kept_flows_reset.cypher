// Forget the kept custody flows (after a reprojection rewrote every stay without new events): the next refresh rebuilds them.
// mode: write
// params: none
// returns: nothing
OPTIONAL MATCH (k:KeptFlows {name: 'custody'})
DELETE k
WITH count(*) AS dropped
MATCH (f:CustodyFlow)
DELETE f
