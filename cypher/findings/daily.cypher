// Findings opened, reopened and resolved per day (China Standard Time) by rule and province, from the
// feed; days before $from are summed into one row with day null, so that open counts can start right.
// mode: read
// params: from: date, to: date, provinces: list[str] or null
// returns: day (date or null), rule, province, kind, count (int)
MATCH (c:FindingChange)
WHERE c.kind IN ['opened', 'reopened', 'resolved']
  AND ($provinces IS NULL OR c.province IN $provinces)
WITH c, date(datetime({datetime: c.at, timezone: '+08:00'})) AS d
WHERE d <= $to
RETURN CASE WHEN d < $from THEN null ELSE d END AS day, c.rule AS rule, c.province AS province, c.kind AS kind,
       count(*) AS count
ORDER BY day, rule, province, kind
