// One findings feed: its lock orders every change, and MERGE on it is only safe under a constraint
// (two transactions that MERGE at once without one each create a feed).
// mode: schema
// params: none
// returns: nothing
CREATE CONSTRAINT finding_feed_id_unique IF NOT EXISTS FOR (f:FindingFeed) REQUIRE f.id IS UNIQUE
