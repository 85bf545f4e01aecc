// Each battery code (GB/T 34014) names one Battery node.
// mode: schema
// params: none
// returns: nothing
CREATE CONSTRAINT battery_code_unique IF NOT EXISTS FOR (b:Battery) REQUIRE b.code IS UNIQUE
