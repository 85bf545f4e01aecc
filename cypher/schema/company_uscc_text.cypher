// Search finds a company by any part of its USCC (CONTAINS).
// mode: schema
// params: none
// returns: nothing
CREATE TEXT INDEX company_uscc_text IF NOT EXISTS FOR (c:Company) ON (c.uscc)
