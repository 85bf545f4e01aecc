// Has this company held the battery, or reported an event about it? (a reporter's read right)
// mode: read
// params: code: str, company: str
// returns: allowed (bool)
MATCH (b:Battery {code: $code})
RETURN EXISTS { (b)-[:HELD_BY]->(:Company {uscc: $company}) }
    OR EXISTS { (b)<-[:ABOUT]-(:Event {reporter: $company}) } AS allowed
