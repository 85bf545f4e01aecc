// Every company's USCC: the sources a full refresh of the kept custody flows aggregates.
// mode: read
// params: none
// returns: usccs (list[str])
MATCH (c:Company)
RETURN collect(c.uscc) AS usccs
