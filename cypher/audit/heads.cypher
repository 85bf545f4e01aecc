// Every writer's signed chain head.
// mode: read
// params: none
// returns: writer, seq, hash, at, signature, key_id
MATCH (h:AuditHead)
RETURN h.writer AS writer, h.seq AS seq, h.hash AS hash, h.at AS at, h.signature AS signature, h.key_id AS key_id
ORDER BY writer
