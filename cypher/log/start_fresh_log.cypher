// A store holding no event gets an empty log at the current ledger revision. A store that already holds
// events and no log keeps none: its events predate the log, and `batterytrace ledger upgrade` logs them.
// mode: write
// params: revision: int, empty_root: str
// returns: nothing
OPTIONAL MATCH (e:Event)
WITH e
LIMIT 1
WITH e
WHERE e IS NULL
MERGE (l:Log {name: 'events'})
ON CREATE SET l.size = 0, l.root = $empty_root, l.revision = $revision, l.updated_at = datetime()
