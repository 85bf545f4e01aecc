// Keep a checkpoint's root in the graph (the exported file is what makes it worth keeping).
// mode: write
// params: id: str, root: str, batteries: int, taken_at: datetime
// returns: id
CREATE (c:Checkpoint {id: $id, root: $root, batteries: $batteries, taken_at: $taken_at})
RETURN c.id AS id
