// Wait until every index is online (at most 300 s), so queries planned right after schema changes use them.
// mode: autocommit
// params: none
// returns: nothing
CALL db.awaitIndexes(300)
