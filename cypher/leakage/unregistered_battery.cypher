// A code that lifecycle events name but that was never produced (no uncorrected production event), or whose maker prefix no registered battery maker holds.
// Second-life products are not produced (they are re-coded from an original) and are judged by
// second_life_lineage instead; modules and cells named only inside a pack's production count for the prefix
// check only. One full scan of Battery nodes (the prefix test cannot use an index), then per battery its first event.
// Scope: $batteries null runs the whole store; a list returns only the findings of those batteries, starting from them
// (guarded UNION branches: the whole-store branch is cut by its guard before it scans, the listed one seeks).
// mode: read
// params: as_of: datetime, province: str or null, company: str or null, batteries: list[str] or null, skip: int, limit: int
// returns: battery, since (first event naming it), company (the prefix's maker when registered, else the first reporter), company_name, province, evidence (first event), missing, details {maker_code, never_produced, unknown_maker}
CALL () {
  MATCH (m:Company)
  WHERE m.maker_code IS NOT NULL
  RETURN collect(m.maker_code) AS maker_codes, collect({code: m.maker_code, uscc: m.uscc}) AS makers
}
CALL () {
  WITH 1 AS whole
  WHERE $batteries IS NULL
  MATCH (b:Battery)
  RETURN b
  UNION ALL
  UNWIND $batteries AS code
  MATCH (b:Battery {code: code})
  RETURN b
}
WITH b, makers, NOT coalesce(b.produced, false) AS unproduced, NOT b.maker_code IN maker_codes AS unknown_maker
WHERE unproduced OR unknown_maker
WITH b, unknown_maker, [m IN makers WHERE m.code = b.maker_code | m.uscc] AS maker_usccs,
     unproduced AND NOT coalesce(b.second_life_code, false) AND NOT EXISTS { (b)-[:DERIVED_FROM]->(:Battery) } AS unproduced
CALL (b) {
  MATCH (b)<-[a:ABOUT]-(e:Event)
  WHERE a.role IN ['subject', 'in', 'out', 'component']
    AND e.occurred_at <= $as_of
    AND COUNT { (e)<-[:CORRECTS]-() } = 0
  WITH a, e
  ORDER BY e.occurred_at, e.event_id
  RETURN head(collect(e)) AS first, any(role IN collect(a.role) WHERE role <> 'component') AS lifecycle
}
WITH b, maker_usccs, first, unproduced AND lifecycle AS never_produced, unknown_maker
WHERE first IS NOT NULL
  AND (never_produced OR unknown_maker)
WITH b.code AS battery,
     first.occurred_at AS since,
     CASE WHEN never_produced AND size(maker_usccs) > 0 THEN maker_usccs[0] ELSE first.reporter END AS company,
     [first.event_id] AS evidence,
     CASE
       WHEN never_produced AND unknown_maker THEN 'no production record, and maker prefix ' + b.maker_code + ' is not registered to any battery maker'
       WHEN never_produced THEN 'no production record for this code'
       ELSE 'maker prefix ' + b.maker_code + ' is not registered to any battery maker'
     END AS missing,
     {maker_code: b.maker_code, never_produced: never_produced, unknown_maker: unknown_maker} AS details,
     first.province AS event_province
OPTIONAL MATCH (co:Company {uscc: company})
WITH battery, since, company, co.name AS company_name, coalesce(event_province, co.province) AS province, evidence, missing, details
WHERE ($province IS NULL OR province = $province)
  AND ($company IS NULL OR company = $company)
  AND ($batteries IS NULL OR battery IN $batteries)
RETURN battery, since, company, company_name, province, evidence, missing, details
ORDER BY since, battery, company, head(evidence)
SKIP $skip
LIMIT $limit
