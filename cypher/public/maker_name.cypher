// The registered battery maker of a GB/T 34014 maker code (positions 1-3), for the public decoding of a code.
// mode: read
// params: maker_code: str
// returns: name
MATCH (c:Company {maker_code: $maker_code})
WHERE 'battery_maker' IN c.roles
RETURN c.name AS name
ORDER BY c.uscc
LIMIT 1
