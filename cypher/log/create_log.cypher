// The log of a store that predates it, created empty by the upgrade before it logs the stored events.
// mode: write
// params: revision: int, empty_root: str
// returns: nothing
MERGE (l:Log {name: 'events'})
ON CREATE SET l.size = 0, l.root = $empty_root, l.revision = $revision, l.updated_at = datetime()
