// One signed head per audit writer, even when two processes ship the same writer's file at once.
// mode: schema
// params: none
// returns: nothing
CREATE CONSTRAINT audit_head_writer_unique IF NOT EXISTS FOR (h:AuditHead) REQUIRE h.writer IS UNIQUE
