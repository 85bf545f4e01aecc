// Is the battery within any of these provinces: does one of its standing events carry one (an event's province, else its reporter's registered province)? (a province-limited key's read right)
// mode: read
// params: code: str, provinces: list[str]
// returns: within (bool)
MATCH (b:Battery {code: $code})
RETURN EXISTS {
  MATCH (b)<-[a:ABOUT]-(e:Event)-[:REPORTED_BY]->(r:Company)
  WHERE a.role <> 'correction'
    AND coalesce(e.province, r.province) IN $provinces
    AND NOT EXISTS { (e)<-[:CORRECTS]-(:Event) }
} AS within
