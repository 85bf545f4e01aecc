// A battery's trace fetches the sale, scrapping and export events of the vehicles it was installed in by
// the flat `vehicle` field: a seek per vehicle, not a walk over a swap vehicle's hundreds of swaps.
// mode: schema
// params: none
// returns: nothing
CREATE INDEX event_vehicle_type IF NOT EXISTS FOR (e:Event) ON (e.vehicle, e.type)
