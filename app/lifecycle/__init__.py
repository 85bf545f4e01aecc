"""One battery's lifecycle, decided once: the replay every reader (store, trace, rules, UI) uses.

Pure: imports nothing from the rest of the application.
"""

from app.lifecycle.candidates import NO_RECEIPT_DAYS
from app.lifecycle.replay import (
    BatteryLifecycle,
    Contradiction,
    Interval,
    Mark,
    Segment,
    Swap,
    replay_all,
    replay_battery,
)
from app.lifecycle.rows import EVENT_ROW_COLUMNS, EventRow, VehicleEventRow, epoch_ms, event_row, roles_in
from app.lifecycle.vehicles import VehicleLifecycle, replay_vehicle, replay_vehicles

#: Bumped whenever the replay derives something new that queries rely on; a store built by an
#: older revision is rebuilt with ``batterytrace reproject`` (rules that need the new state
#: refuse to run on it until then). 2: leakage candidates (suspect receipts and closings);
#: 3: the longest transit (shipment to receipt) in days, and codes produced more than once;
#: 4: how each custody stay ended (outcome, next holder, unconfirmed) and each swap's previous station,
#: which the custody and swap networks read.
PROJECTION_REVISION = 4

__all__ = [
    "EVENT_ROW_COLUMNS",
    "NO_RECEIPT_DAYS",
    "PROJECTION_REVISION",
    "BatteryLifecycle",
    "Contradiction",
    "EventRow",
    "Interval",
    "Mark",
    "Segment",
    "Swap",
    "VehicleEventRow",
    "VehicleLifecycle",
    "epoch_ms",
    "event_row",
    "replay_all",
    "replay_battery",
    "replay_vehicle",
    "replay_vehicles",
    "roles_in",
]
