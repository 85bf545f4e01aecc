// Append events to their batteries' hash chains: position and running hash on each ABOUT link.
// mode: write
// params: links: list[{code, event_id, seq, chain}], heads: list[{code, head, length}]
// returns: nothing
UNWIND $links AS link
MATCH (:Event {event_id: link.event_id})-[a:ABOUT]->(:Battery {code: link.code})
SET a.seq = link.seq, a.chain = link.chain
WITH count(*) AS linked
UNWIND $heads AS h
MATCH (b:Battery {code: h.code})
SET b.chain_head = h.head, b.chain_length = h.length
