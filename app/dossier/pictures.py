"""The journey drawn: a timeline of where the battery was (one lane per custodian, vehicle, shipment
or pack) and the custody graph (companies as boxes, hand-overs as numbered arrows).

Both are read off the trace's segments, the server's one replay; nothing here decides custody, it
only groups the stays for the picture.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from app.dossier.document import BODY, MUTED, Doc, day
from app.schemas.trace import TraceSegment

COLOURS = {"holder": (52, 101, 164), "vehicle": (56, 142, 60), "transit": (230, 145, 56), "pack": (120, 120, 120)}
KIND_WORDS = {"holder": "held by", "vehicle": "in vehicle", "transit": "in transit to", "pack": "inside pack"}


def lane_label(s: TraceSegment, names: dict[str, str | None]) -> str:
    """What a lane says on its left: the company's name, the VIN, the addressee or the pack."""
    ref = s.ref or "?"
    if s.kind in ("holder", "transit"):
        name = names.get(ref) or ref
        return name if s.kind == "holder" else f"→ {name}"
    return f"{'vehicle' if s.kind == 'vehicle' else 'pack'} {ref}"


def _fit(doc: Doc, text: str, width: float) -> str:
    if doc.get_string_width(text) <= width:
        return text
    while text and doc.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _ticks(start: datetime, end: datetime) -> list[datetime]:
    """Month starts (every 1, 3, 6 or 12 months) between start and end, at most about eight."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    step = next((s for s in (1, 3, 6, 12, 24, 60) if months / s <= 8), 120)
    y, m = start.year, start.month
    out: list[datetime] = []
    while (y, m) <= (end.year, end.month):
        if ((m - 1) % step == 0) if step < 12 else (m == 1 and y % (step // 12) == 0):
            tick = datetime(y, m, 1, tzinfo=start.tzinfo)
            if start <= tick <= end:
                out.append(tick)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def timeline(doc: Doc, segments: list[TraceSegment], names: dict[str, str | None], now: datetime) -> float:
    """Draw the lanes at the current position; returns the picture's height (0 when nothing to draw)."""
    if not segments:
        return 0.0
    lanes: list[tuple[str, str | None]] = []
    for s in segments:
        if (s.kind, s.ref) not in lanes:
            lanes.append((s.kind, s.ref))
    start = min(s.from_ for s in segments)
    end = max(s.to or now for s in segments)
    span = max((end - start).total_seconds(), 1.0)
    lane_h, label_w, top_pad, axis_h = 6.5, 58.0, 2.0, 9.0
    height = top_pad + lane_h * len(lanes) + axis_h
    if doc.will_page_break(height + 8):
        doc.add_page()
    x0, y0 = doc.l_margin, doc.get_y()
    plot_x, plot_w = x0 + label_w, doc.width - label_w

    def at(t: datetime) -> float:
        return plot_x + plot_w * (t - start).total_seconds() / span

    doc.set_font(BODY, size=7.5)
    for i, (kind, ref) in enumerate(lanes):
        y = y0 + top_pad + i * lane_h
        if i % 2 == 0:
            doc.set_fill_color(246, 247, 249)
            doc.rect(x0, y, doc.width, lane_h, style="F")
        first = next(s for s in segments if (s.kind, s.ref) == (kind, ref))
        doc.set_text_color(*COLOURS[kind])
        doc.text(x0 + 1, y + lane_h * 0.68, _fit(doc, lane_label(first, names), label_w - 2))
        doc.set_fill_color(*COLOURS[kind])
        for s in segments:
            if (s.kind, s.ref) != (kind, ref):
                continue
            left = at(s.from_)
            right = max(at(s.to or now), left + 0.8)
            doc.rect(left, y + 1.2, right - left, lane_h - 2.4, style="F")
            if s.to is None:  # still there: an open end
                doc.polygon([(right, y + 1.2), (right + 2, y + lane_h / 2), (right, y + lane_h - 1.2)], style="F")
    axis_y = y0 + top_pad + lane_h * len(lanes) + 1
    doc.set_draw_color(*MUTED)
    doc.set_text_color(*MUTED)
    doc.line(plot_x, axis_y, plot_x + plot_w, axis_y)
    for t in [start, *_ticks(start, end), end]:
        x = at(t)
        doc.line(x, axis_y, x, axis_y + 1.2)
    for t in _ticks(start, end):
        doc.text(at(t) - 5, axis_y + 4, t.strftime("%Y-%m"))
    doc.text(plot_x, axis_y + 7.5, f"from {day(start)}")
    doc.text(plot_x + plot_w - 24, axis_y + 7.5, f"to {day(end)}")
    doc.set_text_color(33, 37, 41)
    doc.set_font(BODY, size=10)
    doc.set_y(y0 + height)
    return height


@dataclass
class Handover:
    """One arrow of the custody graph: from a custodian to the next, how and when."""

    number: int
    source: str
    target: str
    at: datetime
    event: str
    via: list[str] = field(default_factory=list)
    unconfirmed: bool = False


def handovers(segments: list[TraceSegment]) -> tuple[list[str], list[Handover]]:
    """The companies in the order they first held the battery (addressees last) and the hand-overs
    between consecutive custodians, with what lay between (a shipment, a vehicle)."""
    nodes: list[str] = []
    out: list[Handover] = []
    holder: str | None = None
    via: list[str] = []
    for s in segments:
        if s.kind == "holder" and s.ref:
            if s.ref not in nodes:
                nodes.append(s.ref)
            if holder is not None and s.ref != holder:
                out.append(Handover(len(out) + 1, holder, s.ref, s.from_, s.opened_by, via))
            holder, via = s.ref, []
        elif s.kind == "transit":
            via.append("shipment")
        elif s.kind == "vehicle":
            via.append(f"vehicle {s.ref}")
        elif s.kind == "pack":
            via.append(f"pack {s.ref}")
    last = segments[-1] if segments else None
    if last is not None and last.kind == "transit" and last.ref and holder is not None and last.ref != holder:
        if last.ref not in nodes:
            nodes.append(last.ref)
        out.append(Handover(len(out) + 1, holder, last.ref, last.from_, last.opened_by, [], unconfirmed=True))
    return nodes, out


def _edge_point(cx: float, cy: float, tx: float, ty: float, hw: float, hh: float) -> tuple[float, float]:
    """Where the line from a box's centre towards (tx, ty) leaves the box."""
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min(hw / abs(dx) if dx else math.inf, hh / abs(dy) if dy else math.inf)
    return cx + dx * scale, cy + dy * scale


def custody_graph(doc: Doc, nodes: list[str], edges: list[Handover], names: dict[str, str | None]) -> float:
    """Companies on a circle (one in the middle when alone), arrows numbered as the list below them."""
    if not nodes:
        return 0.0
    n = len(nodes)
    box_w, box_h = (46.0, 13.0) if n <= 6 else (36.0, 11.0)
    radius = 0.0 if n == 1 else min(62.0, 22.0 + 7.0 * n)
    height = 2 * radius * (0.62 if n > 2 else 0.3) + box_h + 10
    if doc.will_page_break(height + 6):
        doc.add_page()
    cx, top = doc.l_margin + doc.width / 2, doc.get_y()
    cy = top + height / 2
    place: dict[str, tuple[float, float]] = {}
    for i, uscc in enumerate(nodes):
        angle = math.pi + 2 * math.pi * i / n  # the first custodian on the left, then clockwise
        place[uscc] = (cx + radius * math.cos(angle), cy + radius * (0.62 if n > 2 else 0.3) * math.sin(angle))
    pairs = {(e.source, e.target) for e in edges}
    labelled: dict[tuple[str, str], list[str]] = {}
    for e in edges:
        labelled.setdefault((e.source, e.target), []).append(str(e.number))
    doc.set_line_width(0.35)
    for (a, b), numbers in labelled.items():
        (ax, ay), (bx, by) = place[a], place[b]
        length = math.hypot(bx - ax, by - ay) or 1.0
        ox, oy = ((-(by - ay) / length) * 2.2, ((bx - ax) / length) * 2.2) if (b, a) in pairs else (0.0, 0.0)
        sx, sy = _edge_point(ax, ay, bx, by, box_w / 2 + 1, box_h / 2 + 1)
        ex, ey = _edge_point(bx, by, ax, ay, box_w / 2 + 1.5, box_h / 2 + 1.5)
        sx, sy, ex, ey = sx + ox, sy + oy, ex + ox, ey + oy
        unconfirmed = any(e.unconfirmed for e in edges if (e.source, e.target) == (a, b))
        colour = (176, 42, 55) if unconfirmed else (60, 60, 60)
        doc.set_draw_color(*colour)
        doc.set_fill_color(*colour)
        if unconfirmed:
            doc.set_dash_pattern(dash=1.5, gap=1)
        doc.line(sx, sy, ex, ey)
        doc.set_dash_pattern()
        ux, uy = (ex - sx) / (math.hypot(ex - sx, ey - sy) or 1), (ey - sy) / (math.hypot(ex - sx, ey - sy) or 1)
        doc.polygon(
            [
                (ex, ey),
                (ex - 2.6 * ux - 1.2 * uy, ey - 2.6 * uy + 1.2 * ux),
                (ex - 2.6 * ux + 1.2 * uy, ey - 2.6 * uy - 1.2 * ux),
            ],
            style="F",
        )
        doc.set_font(BODY, size=7)
        label = ",".join(numbers)
        mx, my = (sx + ex) / 2 + ox, (sy + ey) / 2 + oy
        doc.set_fill_color(255, 255, 255)
        w = doc.get_string_width(label) + 1.6
        doc.rect(mx - w / 2, my - 1.8, w, 3.6, style="F")
        doc.set_text_color(*colour)
        doc.text(mx - w / 2 + 0.8, my + 1.1, label)
    doc.set_line_width(0.2)
    for uscc, (x, y) in place.items():
        doc.set_draw_color(52, 101, 164)
        doc.set_fill_color(232, 240, 250)
        doc.rect(x - box_w / 2, y - box_h / 2, box_w, box_h, style="DF", round_corners=True, corner_radius=1.5)
        doc.set_text_color(33, 37, 41)
        doc.set_font(BODY, "B", 7.5)
        name = _fit(doc, names.get(uscc) or "(not registered)", box_w - 2)
        doc.text(x - doc.get_string_width(name) / 2, y - 0.6, name)
        doc.set_font(BODY, size=6.5)
        doc.set_text_color(*MUTED)
        doc.text(x - doc.get_string_width(uscc) / 2, y + 3.6, uscc)
    doc.set_text_color(33, 37, 41)
    doc.set_draw_color(0, 0, 0)
    doc.set_font(BODY, size=10)
    doc.set_y(top + height)
    return height
