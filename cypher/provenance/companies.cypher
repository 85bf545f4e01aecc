// The registered names and roles of the companies a battery's provenance names as agents besides the reporters (counterparties, station operators).
// mode: read
// params: usccs: list[str]
// returns: uscc (str), name (str or null), roles (list[str] or null)
UNWIND $usccs AS u
MATCH (c:Company {uscc: u})
RETURN c.uscc AS uscc,
       c.name AS name,
       c.roles AS roles
ORDER BY uscc
