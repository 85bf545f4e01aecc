// Make sure a Battery node exists for every code an event names; identity comes from the code.
// mode: write
// params: rows: list[{code, level, maker_code, chemistry_letter, spec_code, production_date, second_life}]
// returns: nothing
UNWIND $rows AS row
MERGE (b:Battery {code: row.code})
  ON CREATE SET
    b.level = row.level,
    b.maker_code = row.maker_code,
    b.chemistry_letter = row.chemistry_letter,
    b.spec_code = row.spec_code,
    b.production_date = row.production_date,
    b.second_life_code = row.second_life,
    b.status = 'unknown'
