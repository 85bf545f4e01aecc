// Every registry version of one vehicle, oldest first; the last is the current record (valid_to null).
// mode: read
// params: vin: str
// returns: maker, model, category, swap_capable, valid_from, valid_to, changed_by
MATCH (x:Vehicle {vin: $vin})
WHERE x.registered
CALL (x) {
  MATCH (x)-[:VERSION]->(v:VehicleVersion)
  RETURN v AS version, v.valid_to AS valid_to, 0 AS current
  UNION ALL
  RETURN x AS version, null AS valid_to, 1 AS current
}
WITH version, valid_to, current
ORDER BY current, valid_to
RETURN version.maker AS maker,
       version.model AS model,
       version.category AS category,
       version.swap_capable AS swap_capable,
       version.valid_from AS valid_from,
       valid_to,
       version.changed_by AS changed_by
