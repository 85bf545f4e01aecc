// Which revision of the projection the store's derived state was built by (null: unknown, an older store).
// mode: read
// params: none
// returns: revision (int or null), has_batteries (bool)
OPTIONAL MATCH (m:StoreRevision {name: 'projection'})
RETURN m.revision AS revision, EXISTS { MATCH (:Battery) } AS has_batteries
