// Leakage rules ask whether a pack entered a vehicle by a swap before some moment, without walking its relationships.
// mode: schema
// params: none
// returns: nothing
CREATE INDEX event_battery_in IF NOT EXISTS FOR (e:Event) ON (e.battery_in, e.type)
