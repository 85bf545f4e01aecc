// Delete every node and relationship (tests and demo resets); constraints and indexes stay.
// mode: autocommit
// params: none
// returns: nothing
MATCH (n)
CALL (n) {
  DETACH DELETE n
} IN TRANSACTIONS OF 10000 ROWS
