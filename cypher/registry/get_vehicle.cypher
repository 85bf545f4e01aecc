// One vehicle with its registry data and sale, scrapping and export dates.
// mode: read
// params: vin: str
// returns: vin, maker, model, category, swap_capable, registered, sold_at, scrapped_at, exported_at, export_destination
MATCH (v:Vehicle {vin: $vin})
RETURN v.vin AS vin,
       v.maker AS maker,
       v.model AS model,
       v.category AS category,
       v.swap_capable AS swap_capable,
       v.registered AS registered,
       v.sold_at AS sold_at,
       v.scrapped_at AS scrapped_at,
       v.exported_at AS exported_at,
       v.export_destination AS export_destination
