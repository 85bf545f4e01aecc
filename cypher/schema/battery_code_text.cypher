// Search finds a battery by any part of its code (CONTAINS); the unique constraint's range index serves prefixes.
// mode: schema
// params: none
// returns: nothing
CREATE TEXT INDEX battery_code_text IF NOT EXISTS FOR (b:Battery) ON (b.code)
