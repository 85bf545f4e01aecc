// One tile per (level, index) of the verifiable log, found by its id "level/index".
// mode: schema
// params: none
// returns: nothing
CREATE CONSTRAINT log_tile_unique IF NOT EXISTS FOR (t:LogTile) REQUIRE t.id IS UNIQUE
