"""Where the replay hands over to the leakage rules: the candidates three rules start from.

How the work is shared, rule by rule (the rules' headers say the same):
- ``unexplained_source`` reads ``suspect_receipts``, ``double_presence`` reads
  ``suspect_closings`` and ``produced_repeatedly``, ``lost_in_transit`` reads
  ``longest_transit_days``. The replay decides *which* events can fire; each rule then decides
  *whether* a candidate fires, in Cypher, for two reasons the replay cannot see: the rule's
  ``as_of`` (a finding exists only for what had happened by then, and working days run to it)
  and full time precision (the replay compares epoch milliseconds; two events in one
  millisecond stay candidates and the store's nanosecond times decide).
- So these lists must hold every true case, and may hold a few more. A test holds them against
  the rules on worlds with planted cases (``tests/api/test_leakage.py``) and the ground-truth
  evaluation holds the rules exact.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.lifecycle.rows import EventRow

#: ``longest_transit_days`` of a battery with a shipment that no receipt answers.
NO_RECEIPT_DAYS = 1_000_000


def produced_repeatedly(events: Sequence[EventRow]) -> bool:
    """Two production reports of this code, or the code listed as a component of two different
    batteries (the double_presence rule's first two kinds)."""
    produced = [ev for ev in events if ev.type == "produced"]
    own = sum(1 for ev in produced if ev.role == "subject")
    parents = {ev.battery for ev in produced if ev.role == "component"}
    return own > 1 or len(parents) > 1


def cst_day(t: int) -> int:
    """The China Standard Time calendar day of epoch milliseconds ``t``, numbered as the rules number it."""
    return (t // 1000 + 28800) // 86400


def longest_transit_days(events: Sequence[EventRow]) -> int | None:
    """Over the battery's shipments: calendar days (CST) from each to the first receipt by its
    addressee naming its sender, the longest of them (``NO_RECEIPT_DAYS`` if one has none).

    Working days never outrun calendar days, so a shipment answered within ``limit_wd - 1``
    calendar days is answered within ``limit_wd`` working days, and lost_in_transit only has to
    look at batteries with ``longest_transit_days >= limit_wd``. A receipt in the shipment's own
    millisecond is not counted as an answer here (the rule decides)."""
    own = [ev for ev in events if ev.role == "subject"]
    receipts = [(ev.reporter, ev.from_company, ev.t) for ev in own if ev.type == "received"]
    longest: int | None = None
    for ev in own:
        if ev.type != "shipped":
            continue
        answers = [t for by, sender, t in receipts if by == ev.to_company and sender == ev.reporter and t > ev.t]
        days = cst_day(min(answers)) - cst_day(ev.t) if answers else NO_RECEIPT_DAYS
        longest = days if longest is None else max(longest, days)
    return longest


def suspect_receipts(events: Sequence[EventRow], installed: Sequence[tuple[int, int | None]]) -> list[str]:
    """Receipts that no earlier shipment by the named sender to the receiver explains, or that
    fall inside an installation (``installed``: (since, until) in epoch ms; the unexplained_source
    rule, at millisecond resolution: a shipment in the receipt's own millisecond does not clear
    it, and an installation ending in that millisecond still covers it, so the rule decides)."""
    own = [ev for ev in events if ev.role == "subject"]
    shipped = [(ev.reporter, ev.to_company, ev.t) for ev in own if ev.type == "shipped"]
    suspects = []
    for ev in own:
        if ev.type != "received":
            continue
        sender, receiver, t = ev.from_company, ev.reporter, ev.t
        explained = any(s == sender and to == receiver and st < t for s, to, st in shipped)
        inside = any(since <= t and (until is None or until >= t) for since, until in installed)
        if not explained or inside:
            suspects.append(ev.event_id)
    return suspects
