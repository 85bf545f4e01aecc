// Each VIN names one Vehicle node.
// mode: schema
// params: none
// returns: nothing
CREATE CONSTRAINT vehicle_vin_unique IF NOT EXISTS FOR (v:Vehicle) REQUIRE v.vin IS UNIQUE
