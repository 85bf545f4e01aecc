// Events by their place in the verifiable log: the whole-log audit walks them in log order.
// mode: schema
// params: none
// returns: nothing
CREATE INDEX event_log_index IF NOT EXISTS FOR (e:Event) ON (e.log_index)
