// The log's size and root as of the last committed append (null row fields: the store predates the log).
// mode: read
// params: none
// returns: size, root, revision, updated_at
OPTIONAL MATCH (l:Log {name: 'events'})
RETURN l.size AS size, l.root AS root, l.revision AS revision, l.updated_at AS updated_at
