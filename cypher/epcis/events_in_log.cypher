// EPCIS query over the whole store: events in the order the verifiable log holds them, after a position,
// each with the payload of the event it corrects (a correction is written as that event repeated).
// Seeks on the log_index index in its order, so a page costs its own rows, not the store's.
// mode: read
// params: after: int, types: list[str] or null, since: datetime or null, before: datetime or null, station: str or null, reporter: str or null, provinces: list[str] or null, limit: int
// returns: index (int), payload (JSON str), corrected (JSON str or null)
MATCH (e:Event)
WHERE e.log_index > $after
  AND ($types IS NULL OR e.type IN $types)
  AND ($since IS NULL OR e.occurred_at >= $since)
  AND ($before IS NULL OR e.occurred_at < $before)
  AND ($station IS NULL OR e.station = $station)
  AND ($reporter IS NULL OR e.reporter = $reporter)
  AND ($provinces IS NULL OR EXISTS {
    MATCH (e)-[:REPORTED_BY]->(r:Company)
    WHERE coalesce(e.province, r.province) IN $provinces
  })
WITH e
ORDER BY e.log_index
LIMIT $limit
OPTIONAL MATCH (e)-[:CORRECTS]->(o:Event)
RETURN e.log_index AS index, e.payload AS payload, o.payload AS corrected
ORDER BY index
