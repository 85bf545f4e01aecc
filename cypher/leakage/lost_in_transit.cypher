// A shipment with no matching receipt within the limit in Chinese working days (EPCIS pairing of shipping and receiving).
// Matching receipt: same battery, reported by the addressee, naming the sender as `from`, at or after the
// shipment and not later than limit_wd working days after it (W table as in dark_after_removal). A receipt
// after the limit still leaves the finding: the pack was unaccounted for in between. Seeds: the batteries whose
// projection recorded a shipment answered no sooner than limit_wd calendar days, or not at all
// (Battery.longest_transit_days, indexed; working days never outrun calendar days, so no other battery can
// fire); their shipments and receipts come from the (battery, type) event index.
// Scope: $batteries null runs the whole store; a list returns only the findings of those batteries, starting from them
// (guarded UNION branches: the whole-store branch is cut by its guard before it scans, the listed one seeks).
// mode: read
// params: as_of: datetime, limit_wd: int, wd_start: int, wd: list[float], province: str or null, company: str or null, batteries: list[str] or null, skip: int, limit: int
// returns: battery, since (shipment time), company (the sender), company_name, province, evidence (shipment), missing, details {to, limit_wd}
// The candidates are gathered first, in a subquery with an index hint: left to itself the planner estimates a
// range on a parameter as unselective and starts from every shipment (1 M at a million packs) instead.
CALL () {
  WITH 1 AS whole
  WHERE $batteries IS NULL
  MATCH (b:Battery)
  USING INDEX b:Battery(longest_transit_days)
  WHERE b.longest_transit_days >= $limit_wd
  RETURN b.code AS code
  UNION ALL
  UNWIND $batteries AS listed
  MATCH (b:Battery {code: listed})
  WHERE b.longest_transit_days >= $limit_wd
  RETURN b.code AS code
}
MATCH (s:Event {battery: code, type: 'shipped'})
WHERE s.occurred_at <= $as_of
WITH s,
     (s.occurred_at.epochSeconds + 28800) / 86400 - $wd_start AS d0,
     ($as_of.epochSeconds + 28800) / 86400 - $wd_start AS dn
WITH s, CASE WHEN d0 >= 0 THEN floor($wd[d0]) END AS w0, $wd[dn] AS wn
WHERE wn > w0 + $limit_wd
  AND NOT EXISTS {
    MATCH (r:Event {battery: s.battery, type: 'received'})
    WHERE r.reporter = s.to_company
      AND r.from_company = s.reporter
      AND r.occurred_at >= s.occurred_at
      AND $wd[(r.occurred_at.epochSeconds + 28800) / 86400 - $wd_start] <= w0 + $limit_wd
      AND COUNT { (r)<-[:CORRECTS]-() } = 0
  }
  AND COUNT { (s)<-[:CORRECTS]-() } = 0
WITH s.battery AS battery,
     s.occurred_at AS since,
     s.reporter AS company,
     [s.event_id] AS evidence,
     'no receipt by ' + s.to_company + ' within ' + toString($limit_wd) + ' working days of the shipment' AS missing,
     {to: s.to_company, limit_wd: $limit_wd} AS details,
     s.province AS event_province
OPTIONAL MATCH (co:Company {uscc: company})
WITH battery, since, company, co.name AS company_name, coalesce(event_province, co.province) AS province, evidence, missing, details
WHERE ($province IS NULL OR province = $province)
  AND ($company IS NULL OR company = $company)
  AND ($batteries IS NULL OR battery IN $batteries)
RETURN battery, since, company, company_name, province, evidence, missing, details
ORDER BY since, battery, company, head(evidence)
SKIP $skip
LIMIT $limit
