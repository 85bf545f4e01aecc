// Per-company questions (late reports, audits) start from the reporter.
// mode: schema
// params: none
// returns: nothing
CREATE INDEX event_reporter IF NOT EXISTS FOR (e:Event) ON (e.reporter)
