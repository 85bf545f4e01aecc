// One state node per kept projection (its cursor in the event log), so two refreshes serialise on it.
// mode: schema
// params: none
// returns: nothing
CREATE CONSTRAINT kept_flows_name_unique IF NOT EXISTS FOR (k:KeptFlows) REQUIRE k.name IS UNIQUE
