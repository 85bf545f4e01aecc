// Fade over life: the uncorrected health_measured readings grouped by the pack's chemistry, maker or use and by two-year band of its age at the reading (from its production date), with mean, lowest and highest state of health.
// Use is how the pack served: 'swap' (it went through a swap station), 'vehicle' (installed, never swapped), 'not_installed'.
// Province (and a province-limited key's provinces): of the company that measured.
// mode: read
// params: by: str ('chemistry', 'maker' or 'use'), since: datetime or null, until: datetime or null, province: str or null, provinces: list[str] or null, chemistry: str or null
// returns: group (str), group_name (str or null: the maker's name), band (int: floor(age / 2 years), 5 for 10 years and more), readings (int), batteries (int), mean_soh (float), min_soh (float), max_soh (float)
MATCH (h:Event {type: 'health_measured'})
WHERE ($since IS NULL OR h.occurred_at >= $since)
  AND ($until IS NULL OR h.occurred_at < $until)
  AND h.soh_pct IS NOT NULL
  AND COUNT { (h)<-[:CORRECTS]-() } = 0
MATCH (h)-[:ABOUT {role: 'subject'}]->(b:Battery)
WHERE b.production_date IS NOT NULL
  AND ($chemistry IS NULL OR b.chemistry = $chemistry)
MATCH (h)-[:REPORTED_BY]->(c:Company)
WHERE ($province IS NULL OR c.province = $province)
  AND ($provinces IS NULL OR c.province IN $provinces)
WITH h, b, duration.inDays(b.production_date, date(h.occurred_at)).days / 365.25 AS age
WITH h, b,
     CASE $by
       WHEN 'maker' THEN b.maker_code
       WHEN 'use' THEN
         CASE
           WHEN EXISTS { (b)-[:SWAPPED_AT]->() } THEN 'swap'
           WHEN EXISTS { (b)-[:INSTALLED_IN]->() } THEN 'vehicle'
           ELSE 'not_installed'
         END
       ELSE coalesce(b.chemistry, 'unknown')
     END AS grp,
     CASE WHEN age < 0 THEN 0 WHEN age >= 10 THEN 5 ELSE toInteger(floor(age / 2)) END AS band
WITH grp, band, count(h) AS readings, count(DISTINCT b) AS batteries,
     avg(h.soh_pct) AS mean_soh, min(h.soh_pct) AS min_soh, max(h.soh_pct) AS max_soh
RETURN grp AS group,
       CASE WHEN $by = 'maker' THEN COLLECT { MATCH (m:Company {maker_code: grp}) RETURN m.name ORDER BY m.name LIMIT 1 }[0] END AS group_name,
       band, readings, batteries, mean_soh, min_soh, max_soh
ORDER BY group, band
