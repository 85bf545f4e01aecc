// Search finds a swap station by any part of its name (CONTAINS).
// mode: schema
// params: none
// returns: nothing
CREATE TEXT INDEX station_name_text IF NOT EXISTS FOR (s:SwapStation) ON (s.name)
