// The chained events of these batteries, in chain order, with what forms each record hash: the upgrade
// re-hashes chains built before records covered recorded_at and imported.
// mode: read
// params: codes: list[str]
// returns: code, seq, event_id, payload, recorded_at, imported
UNWIND $codes AS code
MATCH (b:Battery {code: code})<-[a:ABOUT]-(e:Event)
WHERE a.seq IS NOT NULL
RETURN code, a.seq AS seq, e.event_id AS event_id, e.payload AS payload, e.recorded_at AS recorded_at,
       coalesce(e.imported, false) AS imported
ORDER BY code, seq
