// How many packs the graph knows: the denominator of the national rates per thousand batteries.
// mode: read
// params: none
// returns: packs (int), batteries (int, all levels)
MATCH (b:Battery)
RETURN count(CASE WHEN b.level = 'pack' THEN 1 END) AS packs, count(b) AS batteries
