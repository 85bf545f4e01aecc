// The stored hashes of the named log tiles (an absent tile answers no row).
// mode: read
// params: ids: list[str "level/index"]
// returns: id, hashes (bytes: 32 per node)
UNWIND $ids AS id
MATCH (t:LogTile {id: id})
RETURN t.id AS id, t.hashes AS hashes
