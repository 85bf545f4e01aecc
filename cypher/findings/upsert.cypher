// Store findings a sweep found: new ones open; known ones get their current wording and evidence;
// resolved ones found again are reopened (the rule fires again, e.g. a correction voided the fix).
// Answers each finding's state before and after, so the same transaction moves the tallies.
// mode: write
// params: at: datetime, rows: list[{id, rule, battery, company, company_name, province, since, evidence, missing, details, digest, reopen}]
// returns: rule, company (str or null), company_name (str or null), was_open (bool), was_province (str or null), is_open (bool), province (str or null)
UNWIND $rows AS row
OPTIONAL MATCH (old:Finding {id: row.id})
WITH row, old IS NOT NULL AND old.resolved_at IS NULL AS was_open, old.province AS was_province
MERGE (x:Finding {id: row.id})
  ON CREATE SET x.rule = row.rule, x.first_seen = $at, x.status = 'open', x.updated_at = $at
SET x.battery = row.battery, x.company = row.company, x.company_name = row.company_name,
    x.province = row.province, x.since = row.since, x.evidence = row.evidence,
    x.missing = row.missing, x.details = row.details, x.digest = row.digest
FOREACH (_ IN CASE WHEN row.reopen THEN [1] ELSE [] END |
  SET x.resolved_at = null, x.resolved_by = null, x.last_seen = null, x.status = 'open', x.updated_at = $at
)
RETURN x.rule AS rule, x.company AS company, x.company_name AS company_name, was_open, was_province,
       x.resolved_at IS NULL AS is_open, x.province AS province
