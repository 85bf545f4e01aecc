// event_id is the idempotency key: the constraint, not a look-up, keeps it unique.
// mode: schema
// params: none
// returns: nothing
CREATE CONSTRAINT event_id_unique IF NOT EXISTS FOR (e:Event) REQUIRE e.event_id IS UNIQUE
