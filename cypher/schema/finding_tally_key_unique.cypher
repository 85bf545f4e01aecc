// One tally of unresolved findings per rule, province and company: MERGE on its key is only safe under
// a constraint (two writers that MERGE the same new key at once would each create one).
// mode: schema
// params: none
// returns: nothing
CREATE CONSTRAINT finding_tally_key_unique IF NOT EXISTS FOR (t:FindingTally) REQUIRE t.key IS UNIQUE
