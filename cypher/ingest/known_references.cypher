// Which referenced companies, stations and correction targets exist (for 422 before writing).
// mode: read
// params: usccs: list[str], stations: list[str], targets: list[str]
// returns: kind (str: company|station|event), key (str), type (str or null, events only)
UNWIND $usccs AS u
MATCH (c:Company {uscc: u})
RETURN 'company' AS kind, c.uscc AS key, null AS type
UNION ALL
UNWIND $stations AS s
MATCH (st:SwapStation {id: s})
RETURN 'station' AS kind, st.id AS key, null AS type
UNION ALL
UNWIND $targets AS t
MATCH (e:Event {event_id: t})
RETURN 'event' AS kind, e.event_id AS key, e.type AS type
