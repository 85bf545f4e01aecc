// Write each vehicle's replayed state: first sale, first scrapping and who reported it (null when none).
// mode: write
// params: rows: list[{vin, sold_at, scrapped_at, scrapped_by}]
// returns: nothing
UNWIND $rows AS row
MATCH (v:Vehicle {vin: row.vin})
SET v.sold_at = datetime(row.sold_at),
    v.scrapped_at = datetime(row.scrapped_at),
    v.scrapped_by = row.scrapped_by
