// Drop every kept custody flow row before a full refresh (a fresh store, or one too far behind to catch up by company).
// mode: write
// params: none
// returns: nothing
MATCH (f:CustodyFlow)
DELETE f
