// The record each swap station had in the registry at each moment; before its first registration, the first record (nothing earlier is known).
// mode: read
// params: pairs: list[{i, station, at}]
// returns: i, station, operator, province, valid_from, valid_to, changed_by
// Versions are contiguous (each valid_to is the next valid_from), so the one valid at a moment is the earliest
// ending after it, or the current record when none does.
UNWIND $pairs AS p
MATCH (s:SwapStation {id: p.station})
WITH p, s,
     COLLECT {
       MATCH (s)-[:VERSION]->(v:StationVersion)
       WHERE v.valid_to > p.at
       WITH v
       ORDER BY v.valid_to
       LIMIT 1
       RETURN v {.operator, .province, .valid_from, .valid_to, .changed_by}
     } AS past
WITH p, coalesce(past[0], s {.operator, .province, .valid_from, valid_to: null, .changed_by}) AS then
RETURN p.i AS i,
       p.station AS station,
       then.operator AS operator,
       then.province AS province,
       then.valid_from AS valid_from,
       then.valid_to AS valid_to,
       then.changed_by AS changed_by
