// Keep each writer's newest signed chain head; an older head (a slower shipper's) never replaces a newer one.
// mode: write
// params: heads: list[{writer, seq, hash, at, signature, key_id}]
// returns: nothing
UNWIND $heads AS head
MERGE (h:AuditHead {writer: head.writer})
WITH h, head
WHERE h.seq IS NULL OR h.seq < head.seq
SET h.seq = head.seq,
    h.hash = head.hash,
    h.at = datetime(head.at),
    h.signature = head.signature,
    h.key_id = head.key_id
