// Custody hand-overs between companies, and how every other custody interval ended, from consecutive HELD_BY intervals of each battery.
// An interval of holder h followed by the next interval n is a hand-over h -> n when h's custody ended (not at an installation
// or recycling), n is another company and no installation started in between; shipped but never received, it goes to the
// shipment's `to` company (unconfirmed). Dated by the end of h's custody; 'kept' intervals (still held, or held at the end of
// the window) are dated by their start. Province (and a province-limited key's provinces): of either party.
// mode: read
// params: since: datetime or null, until: datetime or null, province: str or null, provinces: list[str] or null, chemistry: str or null
// returns: source (USCC), target (USCC; null unless outcome = 'handover'), outcome ('handover' | 'kept' | 'installed' | 'recycled' | 'ended'), batteries (int: intervals), distinct_batteries (int), unconfirmed (int: hand-overs shipped but never received), kg (float: sum of the batteries' mass_kg)
MATCH (b:Battery)
WHERE ($chemistry IS NULL OR b.chemistry = $chemistry)
  AND EXISTS { (b)-[:HELD_BY]->(:Company) }
CALL (b) {
  MATCH (b)-[h:HELD_BY]->(c:Company)
  WITH h, c
  ORDER BY h.since, h.since_event
  RETURN collect({uscc: c.uscc, province: c.province, since: h.since, until: h.until, until_event: h.until_event}) AS hs
}
// Read each battery's installations and recycling once, not once per interval.
WITH b, hs,
     COLLECT { MATCH (b)-[r:INSTALLED_IN]->(:Vehicle) RETURN {since: r.since, event: r.since_event} } AS installs,
     COLLECT { MATCH (b)-[r:RECYCLED_BY]->(:Company) RETURN r.event_id } AS recycling
UNWIND range(0, size(hs) - 1) AS i
WITH b, hs[i] AS h, hs[i + 1] AS n, installs, recycling
WITH b, h, n,
     CASE
       WHEN h.until IS NULL OR ($until IS NOT NULL AND h.until >= $until) THEN 'kept'
       WHEN any(x IN installs WHERE x.event = h.until_event) THEN 'installed'
       WHEN h.until_event IN recycling THEN 'recycled'
       WHEN n IS NOT NULL AND none(x IN installs WHERE x.since >= h.until AND x.since <= n.since)
         THEN CASE WHEN n.uscc = h.uscc THEN 'same' ELSE 'handover' END
       ELSE 'shipped'
     END AS kind
WHERE kind <> 'same'
WITH b, h, n, kind,
     CASE kind
       WHEN 'shipped' THEN head(COLLECT {
         MATCH (e:Event {event_id: h.until_event})-[:TO]->(t:Company)
         WHERE e.type = 'shipped'
         RETURN {uscc: t.uscc, province: t.province}
       })
     END AS shipped_to
WITH b, h, kind,
     CASE kind
       WHEN 'handover' THEN {uscc: n.uscc, province: n.province}
       WHEN 'shipped' THEN shipped_to
     END AS next
WITH b, h, next,
     CASE
       WHEN kind = 'shipped' AND next IS NULL THEN 'ended'
       WHEN kind = 'shipped' THEN 'handover'
       ELSE kind
     END AS outcome,
     kind = 'shipped' AND next IS NOT NULL AS unconfirmed
WHERE CASE outcome
        WHEN 'kept' THEN ($since IS NULL OR h.since >= $since) AND ($until IS NULL OR h.since < $until)
        ELSE ($since IS NULL OR h.until >= $since) AND ($until IS NULL OR h.until < $until)
      END
  AND ($province IS NULL OR h.province = $province OR next.province = $province)
  AND ($provinces IS NULL OR h.province IN $provinces OR next.province IN $provinces)
RETURN h.uscc AS source,
       next.uscc AS target,
       outcome,
       count(*) AS batteries,
       count(DISTINCT b) AS distinct_batteries,
       count(CASE WHEN unconfirmed THEN 1 END) AS unconfirmed,
       sum(coalesce(b.mass_kg, 0.0)) AS kg
