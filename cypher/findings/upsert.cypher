// Store findings a sweep found: new ones open; known ones get their current wording and evidence;
// resolved ones found again are reopened (the rule fires again, e.g. a correction voided the fix).
// mode: write
// params: at: datetime, rows: list[{id, rule, battery, company, company_name, province, since, evidence, missing, details, digest, reopen}]
// returns: nothing
UNWIND $rows AS row
MERGE (x:Finding {id: row.id})
  ON CREATE SET x.rule = row.rule, x.first_seen = $at, x.status = 'open', x.updated_at = $at
SET x.battery = row.battery, x.company = row.company, x.company_name = row.company_name,
    x.province = row.province, x.since = row.since, x.evidence = row.evidence,
    x.missing = row.missing, x.details = row.details, x.digest = row.digest
FOREACH (_ IN CASE WHEN row.reopen THEN [1] ELSE [] END |
  SET x.resolved_at = null, x.resolved_by = null, x.last_seen = null, x.status = 'open', x.updated_at = $at
)
