// Record that every battery's derived state has been rebuilt by this projection revision.
// mode: write
// params: revision: int
// returns: nothing
MERGE (m:StoreRevision {name: 'projection'})
SET m.revision = $revision, m.stamped_at = datetime()
