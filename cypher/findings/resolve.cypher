// Resolve the findings a sweep no longer found. The event that resolved one is the latest recorded
// of its battery's events and of the corrections of its evidence (for a company-level finding, of
// the company's events): the step that arrived late, or the correction that cleared it.
// mode: write
// params: at: datetime, last_seen: datetime or null, ids: list[str]
// returns: id, resolved_by (str or null), rule, battery, company, province, previous (status)
UNWIND $ids AS id
MATCH (x:Finding {id: id})
WHERE x.resolved_at IS NULL
WITH x, x.status AS previous,
     COLLECT {
       CALL (x) {
         MATCH (:Battery {code: x.battery})<-[:ABOUT]-(e:Event)
         WHERE x.battery IS NOT NULL
         RETURN e
         UNION
         UNWIND x.evidence AS ev
         MATCH (:Event {event_id: ev})<-[:CORRECTS]-(e:Event)
         RETURN e
         UNION
         MATCH (e:Event {reporter: x.company})
         WHERE x.battery IS NULL
         RETURN e
       }
       WITH e
       WHERE e.recorded_at <= $at
       RETURN e.event_id
       ORDER BY e.recorded_at DESC, e.event_id DESC
       LIMIT 1
     }[0] AS by
SET x.resolved_at = $at, x.resolved_by = by, x.last_seen = $last_seen, x.status = 'resolved', x.updated_at = $at
RETURN x.id AS id, by AS resolved_by, x.rule AS rule, x.battery AS battery, x.company AS company,
       x.province AS province, previous
