// Make sure a Battery node exists for every code an event names; identity comes from the code.
// A MERGE racing another transaction's creation waits for it, then sees its projection
// (event_count set), so 'created' is true only for batteries no committed event names.
// Stored batteries are already locked (ingest.lock_batteries); a new one is created under the
// constraint's lock, in the caller's (code) order, so a second batch naming it waits for the first.
// mode: write
// params: rows: list[{code, level, maker_code, chemistry_letter, spec_code, production_date, second_life}]
// returns: code (str), created (bool: no projection yet, so every event of it is in this batch)
UNWIND $rows AS row
MERGE (b:Battery {code: row.code})
  ON CREATE SET
    b.level = row.level,
    b.maker_code = row.maker_code,
    b.chemistry_letter = row.chemistry_letter,
    b.spec_code = row.spec_code,
    b.production_date = date(row.production_date),
    b.second_life_code = row.second_life,
    b.status = 'unknown',
    b.chain_length = 0
RETURN b.code AS code, b.event_count IS NULL AS created
