// Listing filters by maker code and product level.
// mode: schema
// params: none
// returns: nothing
CREATE INDEX battery_maker_level IF NOT EXISTS FOR (b:Battery) ON (b.maker_code, b.level)
