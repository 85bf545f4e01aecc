"""Silent packs: no event for longer than their class's service life (``silent_battery``'s labels)."""

from __future__ import annotations

from loaders.synth.model import Lifecycle, leak_label

_SUBJECT_KEYS = ("battery", "battery_in", "battery_out", "new_code")


def label_silent(life: Lifecycle, end: int, silent_before: int, second_silent_before: int) -> None:
    """Every pack of the unit silent on as_of: no event for its class's service life."""
    # code -> (time, what its last event made it): recycled, or repurposed into a product.
    last: dict[str, tuple[int, str]] = {}
    second: set[str] = set()
    assembled: set[str] = set()
    inside: dict[str, str | None] = {}  # code -> the vehicle it is in (as the replay places it)
    exported: dict[str, int] = {}  # VIN -> its first export
    for e in sorted(life.events, key=lambda e: e.t):
        if e.t >= end:
            break
        body = e.body
        for key in _SUBJECT_KEYS:
            code = body.get(key)
            if code is not None:
                last[code] = (e.t, e.type if key == "battery" else key)
        assembled.update(body.get("components", ()))  # judged through their pack
        if e.type == "repurposed":
            second.add(body["new_code"])
        if e.type == "installed":
            inside[body["battery"]] = body["vehicle"]
        elif e.type == "swapped":
            inside[body["battery_out"]], inside[body["battery_in"]] = None, body["vehicle"]
        elif e.type in ("removed", "repurposed", "recycled"):
            inside[body["battery"]] = None
        elif e.type == "vehicle_exported":
            exported.setdefault(body["vehicle"], e.t)
    for code, (t, what) in last.items():
        if what in ("recycled", "repurposed") or code in assembled:
            continue
        is_second = code in second or len(code) == 19
        silent = t < (second_silent_before if is_second else silent_before)
        vin = inside.get(code)
        if vin is not None and exported.get(vin, -1) >= t:
            if silent:  # abroad in its vehicle: excused, and a look-alike of silence
                life.labels.append({"kind": "legitimate", "as": "exported_in_its_vehicle", "battery": code})
            continue
        if silent:
            life.labels.append(leak_label("silent_battery", code, "no event for longer than its service life"))
