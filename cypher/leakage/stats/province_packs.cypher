// Packs per province: a pack counts in each province where one of its standing events happened
// (the event's own province, else its reporter's): the denominators of the map's provincial rates.
// Only the events without a province walk to their reporter, and a correction is found by the degree
// of CORRECTS (only events correct): 3.8 M db hits at 100,000 packs instead of 9.3 M. A sweep reads it
// once and keeps it (record_sweep); it is still one pass over every pack's events.
// mode: read
// params: none
// returns: province, packs (int)
MATCH (b:Battery {level: 'pack'})<-[a:ABOUT]-(e:Event)
WHERE a.role <> 'correction'
  AND COUNT { (e)<-[:CORRECTS]-() } = 0
WITH b, e, e.province AS own
WITH DISTINCT b,
     CASE WHEN own IS NOT NULL THEN own ELSE COLLECT { MATCH (e)-[:REPORTED_BY]->(r:Company) RETURN r.province }[0] END AS province
WHERE province IS NOT NULL
RETURN province, count(b) AS packs
