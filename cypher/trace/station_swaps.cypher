// Uncorrected swaps at a station in [since, until), in event time.
// mode: read
// params: id: str, since: datetime, until: datetime, skip: int, limit: int
// returns: event_id, occurred_at, recorded_at, vehicle, battery_out, battery_in, reporter
MATCH (s:SwapStation {id: $id})<-[:AT]-(e:Event)
WHERE e.type = 'swapped'
  AND e.occurred_at >= $since
  AND e.occurred_at < $until
  AND NOT EXISTS { (e)<-[:CORRECTS]-(:Event) }
RETURN e.event_id AS event_id,
       e.occurred_at AS occurred_at,
       e.recorded_at AS recorded_at,
       e.vehicle AS vehicle,
       e.battery_out AS battery_out,
       e.battery_in AS battery_in,
       e.reporter AS reporter
ORDER BY occurred_at, event_id
SKIP $skip
LIMIT $limit
