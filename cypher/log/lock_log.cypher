// Take the log's write lock (held until the transaction commits, so appends are in commit order) and read
// its size. No row: the store predates the log.
// mode: write
// params: nonce: str
// returns: size, root, revision
MATCH (l:Log {name: 'events'})
SET l.lock = $nonce
RETURN l.size AS size, l.root AS root, l.revision AS revision
