// An event recorded later than the limit in Chinese working days for what it reports (2018 traceability provisions; limits are parameters).
// Limits: installed by an automaker or importer (codes bound to the VIN) binding_wd; repaired, removed for repair
// or replacement, installed by others (a replacement) repair_wd; vehicle_scrapped, removed for scrapping or by a
// dismantler dismantler_wd; repurposed second_life_wd; recycled recycler_wd; shipped/received by a service
// point, dismantler, second-life company (or received by a recycler): the most lenient of those that apply.
// Other events (production, sale, swaps, moves between makers and automakers) have no limit and are not judged.
// recorded_at is the server's receipt time, or for admin imports the carried original value. A cheap first
// filter (recorded more than the smallest limit in calendar days after it occurred; n working days span at least
// n calendar days) keeps the W-table test to candidates. The scan uses the (type, occurred_at, recorded_at) index,
// whose entries carry both times, so that first filter reads nothing from the store; only candidates look up
// their reporter (unique index on the flat `reporter`, not the REPORTED_BY walk) and its licences (one HOLDS walk,
// not three), and are checked for corrections; the reporter is also the company answerable (no second seek).
// Scope: $batteries null runs the whole store; a list returns only the findings of those batteries (and, for events that
// name no battery, of the listed $vehicles), starting from them
// (guarded UNION branches: the whole-store branch is cut by its guard before it scans, the listed one seeks).
// $smallest_wd (the least of the limits, computed by the service) is a parameter, not an expression: a
// bound computed in the query costs a store read for every scanned entry, a parameter none.
// mode: read
// params: as_of: datetime, since: datetime or null, smallest_wd: int, binding_wd: int, repair_wd: int, dismantler_wd: int, second_life_wd: int, recycler_wd: int, service_point_wd: int, wd_start: int, wd: list[float], province: str or null, company: str or null, batteries: list[str] or null, vehicles: list[str] or null, skip: int, limit: int
// returns: battery (null for vehicle events), since (occurred_at), company (the reporter), company_name, province, evidence (the event), missing, details {type, recorded_at, imported, limit_wd, vehicle}
CALL () {
  WITH 1 AS whole
  WHERE $batteries IS NULL
  MATCH (e:Event)
  USING INDEX e:Event(type, occurred_at, recorded_at)
  WHERE e.type IN ['installed', 'removed', 'repaired', 'vehicle_scrapped', 'shipped', 'received', 'repurposed', 'recycled']
    AND e.occurred_at <= $as_of
    AND e.recorded_at IS NOT NULL
    AND ($since IS NULL OR e.occurred_at >= $since)
    AND e.recorded_at > e.occurred_at + duration({days: $smallest_wd})
  RETURN e
  UNION ALL
  UNWIND $batteries AS code
  MATCH (e:Event {battery: code})
  WHERE e.type IN ['installed', 'removed', 'repaired', 'vehicle_scrapped', 'shipped', 'received', 'repurposed', 'recycled']
    AND e.occurred_at <= $as_of
    AND e.recorded_at IS NOT NULL
    AND ($since IS NULL OR e.occurred_at >= $since)
    AND e.recorded_at > e.occurred_at + duration({days: $smallest_wd})
  RETURN e
  UNION ALL
  UNWIND $vehicles AS vin
  MATCH (e:Event {vehicle: vin})
  WHERE $batteries IS NOT NULL
    AND e.battery IS NULL
    AND e.type IN ['installed', 'removed', 'repaired', 'vehicle_scrapped', 'shipped', 'received', 'repurposed', 'recycled']
    AND e.occurred_at <= $as_of
    AND e.recorded_at IS NOT NULL
    AND ($since IS NULL OR e.occurred_at >= $since)
    AND e.recorded_at > e.occurred_at + duration({days: $smallest_wd})
  RETURN e
}
MATCH (c:Company {uscc: e.reporter})
// The reporter's roles as the registry had them when the event occurred (the version ending after it, else the
// current record); its licences are the current ones, whatever their windows.
// The subqueries stand alone in their projection, and coalesce() comes after: a COLLECT nested in an
// expression makes the planner read both times from the store for every scanned index entry (3 db
// hits each) instead of testing the values the entry carries.
WITH e, c,
     COLLECT { MATCH (c)-[:HOLDS]->(l:Licence) RETURN l.scope } AS scopes,
     COLLECT {
       MATCH (c)-[:VERSION]->(v:CompanyVersion)
       WHERE v.valid_to > e.occurred_at
       WITH v
       ORDER BY v.valid_to
       LIMIT 1
       RETURN v.roles
     } AS versioned
WITH e, c, scopes, coalesce(versioned[0], c.roles) AS roles
WITH e, c,
     'automaker' IN roles OR 'importer' IN roles AS automaker,
     'service_point' IN roles AS service_point,
     'dismantler' IN roles OR 'dismantling' IN scopes AS dismantler,
     'second_life' IN roles OR 'second_life' IN scopes AS second_life,
     'recycler' IN roles OR 'recycling' IN scopes AS recycler
WITH e, c,
     CASE e.type
       WHEN 'installed' THEN CASE WHEN automaker THEN $binding_wd ELSE $repair_wd END
       WHEN 'repaired' THEN $repair_wd
       WHEN 'removed' THEN
         CASE
           WHEN e.reason = 'scrapping' OR dismantler THEN $dismantler_wd
           WHEN e.reason IN ['repair', 'replacement'] THEN $repair_wd
         END
       WHEN 'vehicle_scrapped' THEN $dismantler_wd
       WHEN 'repurposed' THEN $second_life_wd
       WHEN 'recycled' THEN $recycler_wd
       ELSE reduce(m = null, x IN [
              CASE WHEN service_point THEN $service_point_wd END,
              CASE WHEN dismantler THEN $dismantler_wd END,
              CASE WHEN second_life THEN $second_life_wd END,
              CASE WHEN recycler AND e.type = 'received' THEN $recycler_wd END
            ] | CASE WHEN x IS NULL THEN m WHEN m IS NULL OR x > m THEN x ELSE m END)
     END AS n
// Here, after a projection, so that the planner cannot test every scanned event for corrections first.
WHERE n IS NOT NULL
  AND COUNT { (e)<-[:CORRECTS]-() } = 0
WITH e, c, n,
     (e.occurred_at.epochSeconds + 28800) / 86400 - $wd_start AS d0,
     (e.recorded_at.epochSeconds + 28800) / 86400 - $wd_start AS d1
WITH e, c, n, CASE WHEN d0 >= 0 THEN floor($wd[d0]) END AS w0, CASE WHEN d1 >= 0 THEN $wd[d1] END AS w1
WHERE w1 > w0 + n
WITH coalesce(e.battery, e.battery_out) AS battery,
     e.occurred_at AS since,
     e.reporter AS company,
     c.name AS company_name,
     coalesce(e.province, c.province) AS province,
     [e.event_id] AS evidence,
     e.type + ' recorded after the limit of ' + toString(n) + ' working days' AS missing,
     {type: e.type, recorded_at: e.recorded_at, imported: coalesce(e.imported, false), limit_wd: n, vehicle: e.vehicle} AS details
WHERE ($province IS NULL OR province = $province)
  AND ($company IS NULL OR company = $company)
  AND ($batteries IS NULL OR battery IN $batteries OR (battery IS NULL AND details.vehicle IN $vehicles))
RETURN battery, since, company, company_name, province, evidence, missing, details
ORDER BY since, battery, company, head(evidence)
SKIP $skip
LIMIT $limit
