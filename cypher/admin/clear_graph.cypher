// Delete every relationship, then every node (tests and resets); constraints and indexes stay.
// Callers go through app.services.reproject.clear_store, which stamps the emptied store as current.
// Relationships go first in their own batches: detaching a node with a million relationships
// in one inner transaction would exceed the transaction memory pool.
// mode: autocommit
// params: none
// returns: nothing
MATCH ()-[r]->()
CALL (r) {
  DELETE r
} IN TRANSACTIONS OF 20000 ROWS
WITH count(*) AS relationships
MATCH (n)
CALL (n) {
  DETACH DELETE n
} IN TRANSACTIONS OF 20000 ROWS
