// Search finds a company by any part of its registered name (CONTAINS, as typed and in the usual cases).
// mode: schema
// params: none
// returns: nothing
CREATE TEXT INDEX company_name_text IF NOT EXISTS FOR (c:Company) ON (c.name)
