// Each swap station id names one SwapStation node.
// mode: schema
// params: none
// returns: nothing
CREATE CONSTRAINT station_id_unique IF NOT EXISTS FOR (s:SwapStation) REQUIRE s.id IS UNIQUE
