"""How each custody stay ended and where each swap came from, decided with the replay so the
custody and swap networks read them instead of re-deriving each battery's history per query.

A stay of holder h that the next stay n follows is a hand-over h -> n when h's custody ended
(not at an installation or recycling), n is another company and no installation started in
between. A stay ended by a shipment that nothing explains afterwards (never received, or the pack
went into a vehicle first) is a hand-over to the shipment's addressee, unconfirmed; any other
stay that ended with nothing after it simply ended. An open stay has no outcome: whether it is
"kept" depends on the window an analyst asks about.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Interval(Protocol):
    """What this module reads and sets of ``app.lifecycle.replay.Interval`` (which imports this)."""

    target: str
    since_event: str
    since_t: int
    until_t: int | None
    until_event: str | None
    outcome: str | None
    next: str | None
    unconfirmed: bool


class Swap(Protocol):
    """What this module reads and sets of ``app.lifecycle.replay.Swap``."""

    station: str | None
    direction: str
    came_from: str | None
    came_as: str | None


def decide_outcomes(held: Sequence[Interval], installed: Sequence[Interval], recycled_event: str | None) -> None:
    """Set ``outcome``, ``next`` and ``unconfirmed`` on every closed stay of ``held`` (in walk order).

    ``next`` arrives holding a shipment's addressee (set when the shipment closed the stay) and
    leaves holding the company the pack went to, or None."""
    install_events = {i.since_event for i in installed}
    install_times = [i.since_t for i in installed]
    for k, h in enumerate(held):
        addressee, h.next, h.unconfirmed = h.next, None, False
        if h.until_t is None:
            h.outcome = None
            continue
        if h.until_event in install_events:
            h.outcome = "installed"
            continue
        if recycled_event is not None and h.until_event == recycled_event:
            h.outcome = "recycled"
            continue
        n = held[k + 1] if k + 1 < len(held) else None
        if n is not None and not any(h.until_t <= t <= n.since_t for t in install_times):
            h.outcome = "same" if n.target == h.target else "handover"
            h.next = n.target if h.outcome == "handover" else None
        elif addressee is not None:
            h.outcome, h.next, h.unconfirmed = "handover", addressee, True
        else:
            h.outcome = "ended"


def link_swaps(swaps: Sequence[Swap]) -> None:
    """Give each swap at a station its predecessor's station and direction when they differ."""
    previous: Swap | None = None
    for s in swaps:
        if s.station is None:  # not at a registered station: no place in the network
            continue
        if previous is not None and previous.station != s.station:
            s.came_from, s.came_as = previous.station, previous.direction
        else:
            s.came_from = s.came_as = None
        previous = s
