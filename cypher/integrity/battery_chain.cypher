// One battery's chained events in chain order, with what is needed to recompute every link, and every stored
// property of each event, so that the flat properties the rules read are compared with the hashed payload.
// mode: read
// params: code: str
// returns: seq, event_id, payload, content_hash, chain, head, length, stored (map of the event's properties or null)
MATCH (b:Battery {code: $code})
OPTIONAL MATCH (b)<-[a:ABOUT]-(e:Event)
WITH b, a, e
ORDER BY a.seq
RETURN a.seq AS seq,
       e.event_id AS event_id,
       e.payload AS payload,
       e.content_hash AS content_hash,
       a.chain AS chain,
       b.chain_head AS head,
       coalesce(b.chain_length, 0) AS length,
       e {.*} AS stored
