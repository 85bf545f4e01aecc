"""Who may say what: the one table of claims, and the warnings a history's contradictions give.

Two kinds of rule live here, and they are kept apart on purpose (``docs/claims.md``):

- **Refusals** decide what can enter the record at all: a company may void only its own events,
  and only the holder of a code's maker code may report its production, once. These are checked
  at capture (``app.services.claims``) and answered 403 or 409.
- **Warnings** mark claims a company may make but that contradict the record: an act outside its
  registered roles, a battery it did not hold, a step before production or after recycling. Such
  events are stored as claimed, since events arrive late and out of order and an unlicensed
  party's act is exactly the evidence the leakage rules need, and the reporter is told at once.

Pure: the registry facts a check needs (roles, a station's operator) are passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from app.lifecycle.health import CAPACITY_TOLERANCE
from app.lifecycle.replay import BatteryLifecycle

WarningCode = Literal[
    "before_production",
    "after_recycling",
    "two_vehicles",
    "unexplained_receipt",
    "produced_repeatedly",
    "not_holder",
    "role_mismatch",
    "station_not_operated",
    "capacity_above_rated",
    "cycle_count_decreased",
]


@dataclass(frozen=True)
class Act:
    """What an event type claims, who is expected to report it, and what is checked."""

    who: str  # in words, for docs/claims.md and the vocabulary
    roles: frozenset[str]  # registered roles that fit the act; empty: any company
    refused: str = ""  # what is refused outright, in words (empty: nothing beyond the shape)


_ANY: frozenset[str] = frozenset()

#: The table. Every capture path (API, EPCIS, loaders) checks against it.
ACTS: Mapping[str, Act] = {
    "produced": Act(
        "the company holding the code's 3-character maker code (a battery maker, or a second-life "
        "company for the products it re-codes)",
        frozenset({"battery_maker", "second_life"}),
        "refused (403) from any other company; a second production of a code is refused (409) "
        "unless the first was voided",
    ),
    "shipped": Act("the sender, which holds the battery", _ANY),
    "received": Act("the receiver", _ANY),
    "installed": Act(
        "the company that fitted the battery: an automaker or importer, a repairer, a service point, a swap operator",
        frozenset({"automaker", "importer", "repairer", "service_point", "swap_operator"}),
    ),
    "vehicle_sold": Act("the automaker or importer that sold the vehicle", frozenset({"automaker", "importer"})),
    "swapped": Act("the operator of the swap station", frozenset({"swap_operator"})),
    "removed": Act(
        "the company that took the battery out: a repairer, service point, swap operator, automaker or dismantler",
        frozenset({"automaker", "importer", "repairer", "service_point", "swap_operator", "dismantler"}),
    ),
    "repaired": Act(
        "the company that repaired it: a repairer, service point, automaker or battery maker",
        frozenset({"repairer", "service_point", "automaker", "importer", "battery_maker"}),
    ),
    "vehicle_scrapped": Act("the dismantler that scrapped the vehicle", frozenset({"dismantler"})),
    "vehicle_exported": Act(
        "the automaker or importer that exported the vehicle", frozenset({"automaker", "importer"})
    ),
    "health_measured": Act(
        "a company the record links to the battery: its maker, a company that reported an event about it "
        "or was named as its sender or addressee (holder, installer, repairer, swap operator, dismantler, "
        "second-life company, recycler), in the store or earlier in the same batch",
        _ANY,
        "refused (403) from a company the record does not link to the battery",
    ),
    "repurposed": Act("the second-life company that took the battery over", frozenset({"second_life"})),
    "recycled": Act("the recycler", frozenset({"recycler"})),
    "correction": Act(
        "the company that reported the event it voids",
        _ANY,
        "refused (403) for an event another company reported; an admin may void any, giving the reason in note",
    ),
}

#: Sentences of the replay's contradictions; ``role_mismatch`` and ``station_not_operated`` are
#: worded where they are found, from the registry.
_SENTENCES: Mapping[str, str] = {
    "before_production": "dated before the battery's production ({other}); no step of its life can precede it",
    "after_recycling": "dated after the battery was reported recycled ({other}); a recycled battery no longer exists",
    "two_vehicles": "puts the battery in a vehicle while the record still has it installed in {other}",
    "unexplained_receipt": "a receipt that no shipment to the receiver explains",
    "produced_repeatedly": "a second production report of this code (the first: {other})",
    "not_holder": "by the record the battery was held by {other} at that moment, not by the reporter",
    "capacity_above_rated": f"a measured capacity more than {CAPACITY_TOLERANCE:.0%} above the capacity the "
    "battery was produced with ({other})",
    "cycle_count_decreased": "a cycle count lower than an earlier reading of the same battery ({other})",
}


@dataclass(frozen=True)
class ClaimWarning:
    """One contradiction between an event and the record, about one battery (or none)."""

    event_id: str
    battery: str | None
    code: WarningCode
    message: str


def history_warnings(lives: Iterable[BatteryLifecycle]) -> list[ClaimWarning]:
    """The replay's contradictions, as sentences a reporter can act on."""
    return [
        ClaimWarning(c.event_id, life.code, c.kind, _SENTENCES[c.kind].format(other=c.other or "unknown"))
        for life in lives
        for c in life.contradictions
    ]


def registry_warnings(
    event_id: str,
    event_type: str,
    reporter: str,
    reporter_roles: Iterable[str],
    station: str | None = None,
    operator: str | None = None,
) -> list[ClaimWarning]:
    """What the registry says against an act (stored all the same): no registered role of the
    reporter fits it, or it is a swap at a station another company operates (``operator``: the
    station's operator, as the caller judges it; None when unknown)."""
    found: list[ClaimWarning] = []
    act = ACTS.get(event_type)
    roles = sorted(reporter_roles)
    if act is not None and act.roles and not act.roles.intersection(roles):
        message = (
            f"{event_type} is reported by {act.who}; the reporter is registered as {', '.join(roles) or 'no role'}"
        )
        found.append(ClaimWarning(event_id, None, "role_mismatch", message))
    if station is not None and operator is not None and operator != reporter:
        message = f"station {station} is operated by {operator}, not by the reporter"
        found.append(ClaimWarning(event_id, None, "station_not_operated", message))
    return found
