// Packs per province: a pack counts in each province where one of its standing events happened
// (the event's own province, else its reporter's): the denominators of the map's provincial rates.
// mode: read
// params: none
// returns: province, packs (int)
MATCH (b:Battery {level: 'pack'})<-[a:ABOUT]-(e:Event)-[:REPORTED_BY]->(r:Company)
WHERE a.role <> 'correction'
  AND NOT EXISTS { (e)<-[:CORRECTS]-(:Event) }
WITH DISTINCT b, coalesce(e.province, r.province) AS province
WHERE province IS NOT NULL
RETURN province, count(b) AS packs
