// A store with no batteries (new, or emptied) is at the current projection revision: everything it will
// hold is projected by this code. A store that already has batteries and no stamp keeps none (see reproject).
// mode: write
// params: revision: int
// returns: nothing
OPTIONAL MATCH (b:Battery)
WITH b
LIMIT 1
WITH b
WHERE b IS NULL
MERGE (m:StoreRevision {name: 'projection'})
SET m.revision = $revision, m.stamped_at = datetime()
