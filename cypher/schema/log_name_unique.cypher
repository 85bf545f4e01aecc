// One Log node per name: concurrent first starts MERGE the same node, and every append locks it.
// mode: schema
// params: none
// returns: nothing
CREATE CONSTRAINT log_name_unique IF NOT EXISTS FOR (l:Log) REQUIRE l.name IS UNIQUE
