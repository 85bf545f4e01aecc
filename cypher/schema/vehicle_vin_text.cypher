// Search finds a vehicle by any part of its VIN (CONTAINS).
// mode: schema
// params: none
// returns: nothing
CREATE TEXT INDEX vehicle_vin_text IF NOT EXISTS FOR (v:Vehicle) ON (v.vin)
