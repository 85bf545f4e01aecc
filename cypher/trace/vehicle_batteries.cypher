// Which batteries a vehicle carried, from when to when (open until = still installed).
// mode: read
// params: vin: str
// returns: code, level, since, until, since_event, until_event
MATCH (v:Vehicle {vin: $vin})<-[i:INSTALLED_IN]-(b:Battery)
RETURN b.code AS code,
       b.level AS level,
       i.since AS since,
       i.until AS until,
       i.since_event AS since_event,
       i.until_event AS until_event
ORDER BY since, code
