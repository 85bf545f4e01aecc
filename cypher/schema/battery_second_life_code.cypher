// second_life_lineage seeks codes in the 19-character second-life form.
// mode: schema
// params: none
// returns: nothing
CREATE INDEX battery_second_life_code IF NOT EXISTS FOR (b:Battery) ON (b.second_life_code)
