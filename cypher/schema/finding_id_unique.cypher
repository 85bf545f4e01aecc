// A stored finding is found by its stable id (rule, subject and the evidence that opened it).
// mode: schema
// params: none
// returns: nothing
CREATE CONSTRAINT finding_id_unique IF NOT EXISTS FOR (x:Finding) REQUIRE x.id IS UNIQUE
