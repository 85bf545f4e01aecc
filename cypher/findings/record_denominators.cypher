// The packs per province a sweep counted (the provincial rates' denominators), kept on the feed so the stored summary
// need not count them again: counting reads every standing event, which a summary request must not.
// mode: write
// params: provinces: list[str], packs: list[int]
// returns: nothing
MATCH (f:FindingFeed {id: 'findings'})
SET f.province_codes = $provinces, f.province_packs = $packs
