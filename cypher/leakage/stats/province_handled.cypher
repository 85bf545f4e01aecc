// Custody counts per province (companies registered there): the denominators of the provincial rates.
// mode: read
// params: none
// returns: province, handled (int)
MATCH (c:Company)
WITH c.province AS province, COUNT { (c)<-[:HELD_BY]-() } AS n
RETURN province, sum(n) AS handled
