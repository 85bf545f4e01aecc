// The findings feed is read by position: a change's seq is unique and is the feed's cursor.
// mode: schema
// params: none
// returns: nothing
CREATE CONSTRAINT finding_change_seq_unique IF NOT EXISTS FOR (c:FindingChange) REQUIRE c.seq IS UNIQUE
