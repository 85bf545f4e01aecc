// How many packs are within the provinces (one of their standing events carries one, else its reporter is registered there): the denominator of a province-limited summary's rates.
// mode: read
// params: provinces: list[str]
// returns: packs (int), batteries (int, all levels)
MATCH (b:Battery)
WHERE EXISTS {
  MATCH (b)<-[a:ABOUT]-(e:Event)-[:REPORTED_BY]->(r:Company)
  WHERE a.role <> 'correction'
    AND coalesce(e.province, r.province) IN $provinces
    AND NOT EXISTS { (e)<-[:CORRECTS]-(:Event) }
}
RETURN count(CASE WHEN b.level = 'pack' THEN 1 END) AS packs, count(b) AS batteries
