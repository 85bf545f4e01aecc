// Custody hand-overs between companies, and how every other custody interval ended, from the outcome the replay stored on each HELD_BY interval.
// The replay (app.lifecycle.custody) decided each closed stay: 'handover' to `next` (a receipt, or a shipment nothing explained,
// then `unconfirmed`), 'installed', 'recycled', 'same' (back to the same holder: not a flow) or 'ended'. Open stays, and stays
// still open at the end of the window, are 'kept' and dated by their start; the others by the end of the stay. Rows are
// aggregated per company pair before the companies' provinces are read. Province (and a province-limited key's provinces): of either party.
// mode: read
// params: since: datetime or null, until: datetime or null, province: str or null, provinces: list[str] or null, chemistry: str or null
// returns: source (USCC), target (USCC; null unless outcome = 'handover'), outcome ('handover' | 'kept' | 'installed' | 'recycled' | 'ended'), batteries (int: intervals), distinct_batteries (int), unconfirmed (int: hand-overs shipped but never received), kg (float: sum of the batteries' mass_kg)
MATCH (b:Battery)-[h:HELD_BY]->(c:Company)
WHERE $chemistry IS NULL OR b.chemistry = $chemistry
WITH b, h, c,
     CASE
       WHEN h.until IS NULL OR ($until IS NOT NULL AND h.until >= $until) THEN 'kept'
       ELSE h.outcome
     END AS outcome
WHERE outcome <> 'same'
  AND CASE outcome
        WHEN 'kept' THEN ($since IS NULL OR h.since >= $since) AND ($until IS NULL OR h.since < $until)
        ELSE ($since IS NULL OR h.until >= $since) AND ($until IS NULL OR h.until < $until)
      END
WITH c, outcome, CASE outcome WHEN 'handover' THEN h.next END AS target,
     count(*) AS batteries,
     count(DISTINCT b) AS distinct_batteries,
     count(CASE WHEN outcome = 'handover' AND h.unconfirmed THEN 1 END) AS unconfirmed,
     sum(coalesce(b.mass_kg, 0.0)) AS kg
OPTIONAL MATCH (t:Company {uscc: target})
WITH c, t, target, outcome, batteries, distinct_batteries, unconfirmed, kg
WHERE ($province IS NULL OR c.province = $province OR t.province = $province)
  AND ($provinces IS NULL OR c.province IN $provinces OR t.province IN $provinces)
RETURN c.uscc AS source,
       target,
       outcome,
       batteries,
       distinct_batteries,
       unconfirmed,
       kg
