// Checkpoints taken so far, newest first.
// mode: read
// params: limit: int
// returns: id, root, batteries, taken_at
MATCH (c:Checkpoint)
RETURN c.id AS id, c.root AS root, c.batteries AS batteries, c.taken_at AS taken_at
ORDER BY taken_at DESC
LIMIT $limit
