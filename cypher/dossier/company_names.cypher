// The registered names of these companies, and every company registered with this maker code (the
// code's first three characters), so a dossier names each party by USCC and name.
// mode: read
// params: usccs: list[str], maker_code: str
// returns: uscc (str), name (str or null), maker_code (str or null)
UNWIND $usccs AS u
MATCH (c:Company {uscc: u})
RETURN c.uscc AS uscc,
       c.name AS name,
       c.maker_code AS maker_code
UNION
MATCH (c:Company)
WHERE c.maker_code = $maker_code
RETURN c.uscc AS uscc,
       c.name AS name,
       c.maker_code AS maker_code
