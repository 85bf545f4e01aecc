// The kept tallies of unresolved findings by rule, province and company: the summary's counts without
// reading a finding (as many rows as tallies, whatever the number of findings).
// mode: read
// params: provinces: list[str] or null
// returns: rule, province, company, company_name, count (int)
MATCH (t:FindingTally)
WHERE ($provinces IS NULL OR t.province IN $provinces)
RETURN t.rule AS rule, t.province AS province, t.company AS company, t.company_name AS company_name,
       t.open AS count
