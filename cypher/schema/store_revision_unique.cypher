// One StoreRevision node per name: concurrent first starts MERGE the same node.
// mode: schema
// params: none
// returns: nothing
CREATE CONSTRAINT store_revision_unique IF NOT EXISTS FOR (m:StoreRevision) REQUIRE m.name IS UNIQUE
