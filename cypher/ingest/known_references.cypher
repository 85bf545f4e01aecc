// What a batch names that must already exist (422 before writing), with what the claim checks read:
// a company's name, roles, maker code and declared import codes; a station's operator; a corrected
// event's type, reporter and reporter's name; and whether a company or station has older versions
// (then the record valid when the event occurred is looked up).
// mode: read
// params: usccs: list[str], stations: list[str], targets: list[str]
// returns: kind (str: company|station|event), key (str), type (str or null, events only), reporter (str or null: an event's reporter, a station's operator), name (str or null: a company's, a station's, an event reporter's), roles (list[str] or null), maker_code (str or null), imports_for (list[str] or null), versioned (bool)
UNWIND $usccs AS u
MATCH (c:Company {uscc: u})
RETURN 'company' AS kind, c.uscc AS key, null AS type, null AS reporter, c.name AS name, c.roles AS roles,
       c.maker_code AS maker_code, coalesce(c.imports_for, []) AS imports_for,
       EXISTS { (c)-[:VERSION]->() } AS versioned
UNION ALL
UNWIND $stations AS s
MATCH (st:SwapStation {id: s})
RETURN 'station' AS kind, st.id AS key, null AS type, st.operator AS reporter, st.name AS name, null AS roles,
       null AS maker_code, null AS imports_for, EXISTS { (st)-[:VERSION]->() } AS versioned
UNION ALL
UNWIND $targets AS t
MATCH (e:Event {event_id: t})
OPTIONAL MATCH (e)-[:REPORTED_BY]->(r:Company)
RETURN 'event' AS kind, e.event_id AS key, e.type AS type, e.reporter AS reporter, r.name AS name, null AS roles,
       null AS maker_code, null AS imports_for, false AS versioned
