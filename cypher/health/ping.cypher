// Readiness probe: the database answers a trivial read.
// mode: read
// params: none
// returns: ok (int)
RETURN 1 AS ok
