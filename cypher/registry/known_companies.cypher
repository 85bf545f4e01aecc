// Which of these companies are registered (to reject references to unknown ones).
// mode: read
// params: usccs: list[str]
// returns: uscc (str)
UNWIND $usccs AS u
MATCH (c:Company {uscc: u})
RETURN c.uscc AS uscc
