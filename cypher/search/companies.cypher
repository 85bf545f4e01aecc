// Search: companies (public registry records) by USCC or name. The exact USCC and USCCs starting with $code first (the unique constraint's range index), then names containing one of $words (the text index company_name_text; the words are the query as typed and in the usual cases, since the index is case-sensitive), then USCCs containing $code (company_uscc_text); at most $limit of each. $code is null when the query cannot be part of a USCC.
// mode: read
// params: code: str or null, words: list[str], limit: int
// returns: uscc, name, roles, province, maker_code, match
CALL {
  MATCH (c:Company)
  WHERE c.uscc STARTS WITH $code
  RETURN c, CASE WHEN c.uscc = $code THEN 0 ELSE 1 END AS rank
  ORDER BY c.uscc
  LIMIT $limit
  UNION
  UNWIND $words AS word
  MATCH (c:Company)
  WHERE c.name CONTAINS word
  RETURN c, 2 AS rank
  LIMIT $limit
  UNION
  MATCH (c:Company)
  WHERE c.uscc CONTAINS $code AND NOT c.uscc STARTS WITH $code
  RETURN c, 3 AS rank
  LIMIT $limit
}
WITH c, min(rank) AS rank
RETURN c.uscc AS uscc,
       c.name AS name,
       c.roles AS roles,
       c.province AS province,
       c.maker_code AS maker_code,
       ['exact', 'prefix', 'name', 'contains'][rank] AS match
ORDER BY rank, name, uscc
LIMIT $limit
