// Is the vehicle within any of these provinces: does one of its own standing events carry one, or was a battery within them ever installed in it? (a province-limited key's read right)
// mode: read
// params: vin: str, provinces: list[str]
// returns: within (bool)
MATCH (v:Vehicle {vin: $vin})
RETURN EXISTS {
  MATCH (v)<-[:INVOLVES]-(e:Event)-[:REPORTED_BY]->(r:Company)
  WHERE coalesce(e.province, r.province) IN $provinces
    AND NOT EXISTS { (e)<-[:CORRECTS]-(:Event) }
} OR EXISTS {
  MATCH (v)<-[:INSTALLED_IN]-(:Battery)<-[a:ABOUT]-(e:Event)-[:REPORTED_BY]->(r:Company)
  WHERE a.role <> 'correction'
    AND coalesce(e.province, r.province) IN $provinces
    AND NOT EXISTS { (e)<-[:CORRECTS]-(:Event) }
} AS within
