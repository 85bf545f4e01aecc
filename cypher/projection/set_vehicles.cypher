// Write each vehicle's replayed state: first sale, first scrapping and who reported it, first export and where to (null when none).
// mode: write
// params: rows: list[{vin, sold_at, scrapped_at, scrapped_by, exported_at, export_destination}]
// returns: nothing
UNWIND $rows AS row
MATCH (v:Vehicle {vin: row.vin})
SET v.sold_at = datetime(row.sold_at),
    v.scrapped_at = datetime(row.scrapped_at),
    v.scrapped_by = row.scrapped_by,
    v.exported_at = datetime(row.exported_at),
    v.export_destination = row.export_destination
