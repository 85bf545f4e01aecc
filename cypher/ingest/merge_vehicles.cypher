// Make sure a Vehicle node exists for every VIN an event names (registry data may come later), and say
// which this transaction created (a marker set on creation and removed at once).
// mode: write
// params: vins: list[str]
// returns: vin (str), created (bool)
UNWIND $vins AS vin
MERGE (v:Vehicle {vin: vin})
  ON CREATE SET v.registered = false, v.created_by_ingest = true
WITH v, vin, v.created_by_ingest IS NOT NULL AS created
FOREACH (_ IN CASE WHEN created THEN [1] ELSE [] END | REMOVE v.created_by_ingest)
RETURN vin, created
