// Custody counts of the given companies: the denominators of their rates (a battery held twice counts twice).
// mode: read
// params: usccs: list[str]
// returns: uscc, name, province, handled (int: custody intervals, from the degree of HELD_BY)
UNWIND $usccs AS u
MATCH (c:Company {uscc: u})
RETURN c.uscc AS uscc, c.name AS name, c.province AS province, COUNT { (c)<-[:HELD_BY]-() } AS handled
