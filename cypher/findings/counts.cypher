// The stored findings still unresolved, counted by rule, province and company: the summary's counts.
// mode: read
// params: provinces: list[str] or null
// returns: rule, province, company, company_name, count (int)
MATCH (x:Finding)
WHERE x.resolved_at IS NULL
  AND ($provinces IS NULL OR x.province IN $provinces)
RETURN x.rule AS rule, x.province AS province, x.company AS company, max(x.company_name) AS company_name,
       count(*) AS count
