// The custody flows over all time (no window, no chemistry) from the kept rows, with the companies in $dirty aggregated afresh.
// Live rows come from each dirty company's stays with the outcome logic of custody_flows.cypher with no window: an open
// stay is 'kept', a stay back to its holder ('same') is no flow. $with_kept false gives only the live rows (a refresh).
// Province (and a province-limited key's provinces): of either party, as in custody_flows.cypher.
// mode: read
// params: dirty: list[str], with_kept: bool, province: str or null, provinces: list[str] or null
// returns: source (USCC), target (USCC or null), outcome, batteries (int), distinct_batteries (int), unconfirmed (int), kg (float)
CALL () {
  MATCH (f:CustodyFlow)
  WHERE $with_kept
    AND NOT f.source IN $dirty
  RETURN f.source AS source, f.target AS target, f.outcome AS outcome, f.batteries AS batteries,
         f.distinct_batteries AS distinct_batteries, f.unconfirmed AS unconfirmed, f.kg AS kg
  UNION ALL
  UNWIND $dirty AS uscc
  MATCH (c:Company {uscc: uscc})<-[h:HELD_BY]-(b:Battery)
  WITH c, h, b, CASE WHEN h.until IS NULL THEN 'kept' ELSE h.outcome END AS outcome
  WHERE outcome <> 'same'
  WITH c, outcome, CASE outcome WHEN 'handover' THEN h.next END AS target,
       count(*) AS batteries,
       count(DISTINCT b) AS distinct_batteries,
       count(CASE WHEN outcome = 'handover' AND h.unconfirmed THEN 1 END) AS unconfirmed,
       sum(coalesce(b.mass_kg, 0.0)) AS kg
  RETURN c.uscc AS source, target, outcome, batteries, distinct_batteries, unconfirmed, kg
}
OPTIONAL MATCH (c:Company {uscc: source})
OPTIONAL MATCH (t:Company {uscc: target})
WITH c, t, source, target, outcome, batteries, distinct_batteries, unconfirmed, kg
WHERE ($province IS NULL OR c.province = $province OR t.province = $province)
  AND ($provinces IS NULL OR c.province IN $provinces OR t.province IN $provinces)
RETURN source, target, outcome, batteries, distinct_batteries, unconfirmed, kg
