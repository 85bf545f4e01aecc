// Leakage rules pair a battery's own events (a shipment with its receipt, a removal with the next custody)
// by the flat `battery` field, without walking the battery's every relationship (swap packs have hundreds).
// mode: schema
// params: none
// returns: nothing
CREATE INDEX event_battery_type IF NOT EXISTS FOR (e:Event) ON (e.battery, e.type)
