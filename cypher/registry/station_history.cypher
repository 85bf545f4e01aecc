// Every version of one swap station, oldest first; the last is the current record (valid_to null).
// mode: read
// params: id: str
// returns: operator, province, name, lat, lon, valid_from, valid_to, changed_by
MATCH (s:SwapStation {id: $id})
CALL (s) {
  MATCH (s)-[:VERSION]->(v:StationVersion)
  RETURN v AS version, v.valid_to AS valid_to, 0 AS current
  UNION ALL
  RETURN s AS version, null AS valid_to, 1 AS current
}
WITH version, valid_to, current
ORDER BY current, valid_to
RETURN version.operator AS operator,
       version.province AS province,
       version.name AS name,
       version.location.latitude AS lat,
       version.location.longitude AS lon,
       version.valid_from AS valid_from,
       valid_to,
       version.changed_by AS changed_by
