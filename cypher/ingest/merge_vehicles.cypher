// Make sure a Vehicle node exists for every VIN an event names (registry data may come later).
// mode: write
// params: vins: list[str]
// returns: nothing
UNWIND $vins AS vin
MERGE (v:Vehicle {vin: vin})
  ON CREATE SET v.registered = false
