// Each unified social credit code names one Company node.
// mode: schema
// params: none
// returns: nothing
CREATE CONSTRAINT company_uscc_unique IF NOT EXISTS FOR (c:Company) REQUIRE c.uscc IS UNIQUE
