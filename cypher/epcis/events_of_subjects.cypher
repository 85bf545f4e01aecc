// EPCIS query by subject (MATCH_epc): the events about the named batteries (corrections of them too) and
// those naming the named vehicles, in log order after a position, with the payload each correction corrects.
// mode: read
// params: after: int, batteries: list[str], vehicles: list[str], types: list[str] or null, since: datetime or null, before: datetime or null, station: str or null, reporter: str or null, provinces: list[str] or null, limit: int
// returns: index (int), payload (JSON str), corrected (JSON str or null)
CALL () {
  UNWIND $batteries AS code
  MATCH (:Battery {code: code})<-[:ABOUT]-(e:Event)
  RETURN e
  UNION
  UNWIND $vehicles AS vin
  MATCH (e:Event {vehicle: vin})
  RETURN e
}
WITH DISTINCT e
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
