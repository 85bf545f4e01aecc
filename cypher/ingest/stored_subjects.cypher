// The element ids of the stored batteries and vehicles a batch names, for ingest.lock_nodes. A read:
// its index seeks take no lock, where the seeks of a writing query take a shared lock on each value,
// found or not, which a concurrent MERGE creating that value must then wait for (a deadlock).
// mode: read
// params: codes: list[str], vins: list[str]
// returns: kind (str: battery|vehicle), key (str: code or VIN), id (str: element id)
UNWIND $codes AS code
MATCH (b:Battery {code: code})
RETURN 'battery' AS kind, code AS key, elementId(b) AS id
UNION ALL
UNWIND $vins AS vin
MATCH (v:Vehicle {vin: vin})
RETURN 'vehicle' AS kind, vin AS key, elementId(v) AS id
