// Vehicle sale and scrapping dates from their effective (uncorrected) events.
// mode: write
// params: vins: list[str]
// returns: nothing
UNWIND $vins AS vin
MATCH (v:Vehicle {vin: vin})
OPTIONAL MATCH (v)<-[:INVOLVES]-(s:Event {type: 'vehicle_sold'})
  WHERE NOT EXISTS { (s)<-[:CORRECTS]-(:Event) }
WITH v, min(s.occurred_at) AS sold_at
OPTIONAL MATCH (v)<-[:INVOLVES]-(x:Event {type: 'vehicle_scrapped'})
  WHERE NOT EXISTS { (x)<-[:CORRECTS]-(:Event) }
WITH v, sold_at, min(x.occurred_at) AS scrapped_at, head(collect(x.reporter)) AS scrapped_by
SET v.sold_at = sold_at, v.scrapped_at = scrapped_at, v.scrapped_by = scrapped_by
