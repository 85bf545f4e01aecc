// A receipt that no shipment explains (no shipment of the battery by the named sender to the receiver before it), or a receipt while the battery is still installed in a vehicle.
// Seeds: the receipts the projection marked as suspect when it replayed each battery's history (Battery.suspect_receipts,
// indexed, null on clean batteries): every receipt that can fire is among them, and each is checked here
// again against the stored events. "Installed" is the projection's installation interval covering the receipt:
// the pack was taken without a recorded removal (or the code is a clone).
// Scope: $batteries null runs the whole store; a list returns only the findings of those batteries, starting from them
// (guarded UNION branches: the whole-store branch is cut by its guard before it scans, the listed one seeks).
// mode: read
// params: as_of: datetime, province: str or null, company: str or null, batteries: list[str] or null, skip: int, limit: int
// returns: battery, since (receipt time), company (the receiver), company_name, province, evidence (receipt, installation events), missing, details {from, no_shipment, installed_in}
CALL () {
  WITH 1 AS whole
  WHERE $batteries IS NULL
  MATCH (b:Battery)
  WHERE b.suspect_receipts IS NOT NULL
  RETURN b
  UNION ALL
  UNWIND $batteries AS code
  MATCH (b:Battery {code: code})
  WHERE b.suspect_receipts IS NOT NULL
  RETURN b
}
UNWIND b.suspect_receipts AS receipt_id
MATCH (r:Event {event_id: receipt_id})
WHERE r.type = 'received'
  AND r.occurred_at <= $as_of
WITH b, r,
     EXISTS {
       MATCH (s:Event {battery: r.battery, type: 'shipped'})
       WHERE s.reporter = r.from_company
         AND s.to_company = r.reporter
         AND s.occurred_at <= r.occurred_at
         AND COUNT { (s)<-[:CORRECTS]-() } = 0
     } AS shipped
WITH r, shipped,
     COLLECT {
       MATCH (b)-[i:INSTALLED_IN]->(v:Vehicle)
       WHERE i.since <= r.occurred_at
         AND (i.until IS NULL OR i.until > r.occurred_at)
       RETURN {vin: v.vin, since_event: i.since_event}
     } AS inside
WITH r, shipped, inside
WHERE (NOT shipped OR size(inside) > 0)
  AND COUNT { (r)<-[:CORRECTS]-() } = 0
WITH r.battery AS battery,
     r.occurred_at AS since,
     r.reporter AS company,
     [r.event_id] + [x IN inside | x.since_event] AS evidence,
     CASE
       WHEN NOT shipped AND size(inside) > 0 THEN 'no shipment by ' + r.from_company + ' explains this receipt, and the battery was still installed in vehicle ' + inside[0].vin + ' (no removal recorded)'
       WHEN NOT shipped THEN 'no shipment by ' + r.from_company + ' to the receiver explains this receipt'
       ELSE 'received while still installed in vehicle ' + inside[0].vin + ' (no removal recorded)'
     END AS missing,
     {from: r.from_company, no_shipment: NOT shipped, installed_in: [x IN inside | x.vin]} AS details,
     r.province AS event_province
OPTIONAL MATCH (co:Company {uscc: company})
WITH battery, since, company, co.name AS company_name, coalesce(event_province, co.province) AS province, evidence, missing, details
WHERE ($province IS NULL OR province = $province)
  AND ($company IS NULL OR company = $company)
  AND ($batteries IS NULL OR battery IN $batteries)
RETURN battery, since, company, company_name, province, evidence, missing, details
ORDER BY since, battery, company, head(evidence)
SKIP $skip
LIMIT $limit
