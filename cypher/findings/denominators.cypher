// The packs per province the last sweep counted (null before a sweep that recorded them).
// mode: read
// params: none
// returns: provinces (list[str] or null), packs (list[int] or null)
OPTIONAL MATCH (f:FindingFeed {id: 'findings'})
RETURN f.province_codes AS provinces, f.province_packs AS packs
