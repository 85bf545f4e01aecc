// Change a case's status and assignee (the caller holds the feed's lock and checked the change).
// mode: write
// params: id: str, status: str, assignee: str or null, at: datetime, answered: bool
// returns: nothing
MATCH (x:Finding {id: $id})
SET x.status = $status, x.assignee = $assignee, x.updated_at = $at
FOREACH (_ IN CASE WHEN $answered THEN [1] ELSE [] END | SET x.answered_at = $at)
