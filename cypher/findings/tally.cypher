// Move the tallies of unresolved findings by what one transaction opened, reopened, moved and resolved
// (the caller holds the feed's lock; rows sorted by key). A tally that reaches zero is removed.
// mode: write
// params: rows: list[{key, rule, province, company, company_name, delta}]
// returns: nothing
UNWIND $rows AS row
MERGE (t:FindingTally {key: row.key})
  ON CREATE SET t.rule = row.rule, t.province = row.province, t.company = row.company, t.open = 0
SET t.open = t.open + row.delta, t.company_name = coalesce(row.company_name, t.company_name)
WITH t
WHERE t.open <= 0
DELETE t
