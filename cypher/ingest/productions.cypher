// The stored production reports of these codes, and whether each was voided, so a second one is refused.
// mode: read
// params: codes: list[str]
// returns: code (str), event_id (str), reporter (str), occurred_at (str), voided (bool)
UNWIND $codes AS code
MATCH (e:Event {battery: code, type: 'produced'})
RETURN code, e.event_id AS event_id, e.reporter AS reporter, toString(e.occurred_at) AS occurred_at,
       COUNT { (e)<-[:CORRECTS]-(:Event) } > 0 AS voided
ORDER BY code, e.occurred_at, e.event_id
