// Search finds a swap station by any part of its id (CONTAINS).
// mode: schema
// params: none
// returns: nothing
CREATE TEXT INDEX station_id_text IF NOT EXISTS FOR (s:SwapStation) ON (s.id)
