// Which of the given companies have ever held a licence (any scope, any dates): white-list history rather than status on a day.
// A company delisted last year received packs while it was listed; only one never listed is an informal sink on every date.
// mode: read
// params: usccs: list[str]
// returns: uscc (a company holding at least one licence record)
UNWIND $usccs AS uscc
MATCH (c:Company {uscc: uscc})
WHERE EXISTS { (c)-[:HOLDS]->(:Licence) }
RETURN c.uscc AS uscc
