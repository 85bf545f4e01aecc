// Write the tiles an append changed, place each new event in the log and record the new size and root.
// Runs under the lock taken by log.lock_log, in the ingest transaction.
// mode: write
// params: tiles: list[{id, level, index, hashes}], entries: list[{event_id, index}], size: int, root: str
// returns: nothing
UNWIND $tiles AS tile
MERGE (t:LogTile {id: tile.id})
SET t.level = tile.level, t.index = tile.index, t.hashes = tile.hashes
WITH count(*) AS written
UNWIND $entries AS entry
MATCH (e:Event {event_id: entry.event_id})
SET e.log_index = entry.index
WITH count(*) AS placed
MATCH (l:Log {name: 'events'})
SET l.size = $size, l.root = $root, l.updated_at = datetime()
