// The companies whose custody flows the events logged at or after $upto may have changed.
// The projection derives a battery's stays only from the events about it (app.lifecycle.custody), each stay's
// holder and next holder being an event's reporter, sender or addressee. So the companies that can have gained,
// lost or changed a stay are those named by any event (corrected or not, corrections included) about a battery
// one of these events is about, and the battery's current holders. Seeks on the log index, then per battery.
// mode: read
// params: upto: int
// returns: dirty (list[str]: USCCs)
MATCH (e:Event)
WHERE e.log_index >= $upto
MATCH (e)-[:ABOUT]->(b:Battery)
WITH DISTINCT b
CALL (b) {
  MATCH (b)-[:HELD_BY]->(c:Company)
  RETURN c.uscc AS uscc
  UNION
  MATCH (b)<-[:ABOUT]-(x:Event)
  UNWIND [x.reporter, x.from_company, x.to_company] AS uscc
  WITH uscc
  WHERE uscc IS NOT NULL
  RETURN uscc
}
RETURN collect(DISTINCT uscc) AS dirty
