// Is the swap station registered in one of these provinces? (a province-limited key's read right)
// mode: read
// params: id: str, provinces: list[str]
// returns: within (bool)
MATCH (s:SwapStation {id: $id})
RETURN s.province IN $provinces AS within
