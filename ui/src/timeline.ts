// The swimlane timeline as plain SVG: lanes are rows, stays are bars, events are markers.

import { formatTime, svg } from "./dom";
import { t, term } from "./i18n";
import type { Lane, Marker, MarkerKind, Swimlanes } from "./lanes";
import { w } from "./pages/words";

const ROW = 28;
const LABEL_W = 250;
/** Lane labels take at most this share of a narrow timeline (a phone), so the plot keeps room. */
const LABEL_SHARE = 0.38;
const PAD_TOP = 28;
const PAD_RIGHT = 18;

function markerShape(m: Marker, x: number, y: number): SVGElement {
  const cls = `mk mk-${m.kind}${m.voided ? " voided" : ""}`;
  const title = svg(
    "title",
    {},
    `${term("et", m.event.type)}${m.event.role !== "subject" ? ` (${term("role", m.event.role)})` : ""} · ${formatTime(m.event.occurred_at)}` +
      (m.event.recorded_at ? ` (${w("ev.recorded", { time: formatTime(m.event.recorded_at) })})` : "") +
      ` · ${m.event.reporter.name ?? m.event.reporter.uscc ?? "?"} · ${m.event.event_id}` +
      (m.voided ? ` · ${t("timeline.voided", { ids: m.event.corrected_by.join(", ") })}` : ""),
  );
  const attrs = { class: cls, "data-event": m.event.event_id, "data-kind": m.kind };
  let shape: SVGElement;
  switch (m.kind) {
    case "swap": // diamond
      shape = svg("path", { ...attrs, d: `M${x} ${y - 7}L${x + 7} ${y}L${x} ${y + 7}L${x - 7} ${y}Z` }, title);
      break;
    case "repair": // square
      shape = svg("rect", { ...attrs, x: x - 5.5, y: y - 5.5, width: 11, height: 11, rx: 2 }, title);
      break;
    case "correction": // triangle
      shape = svg("path", { ...attrs, d: `M${x} ${y - 7}L${x + 7} ${y + 6}L${x - 7} ${y + 6}Z` }, title);
      break;
    case "end":
      shape = svg("rect", { ...attrs, x: x - 2, y: y - 9, width: 4, height: 18 }, title);
      break;
    case "vehicle": // ring: the vehicle's event, not the pack's
      shape = svg("circle", { ...attrs, cx: x, cy: y, r: 5 }, title);
      break;
    default:
      shape = svg("circle", { ...attrs, cx: x, cy: y, r: 5 }, title);
  }
  if (!m.voided) return shape;
  // Struck: a voided event never counts, but an investigator must still see it was reported.
  return svg(
    "g",
    { class: "voided-mark", "data-event": m.event.event_id },
    shape,
    svg("line", { x1: x - 9, y1: y + 9, x2: x + 9, y2: y - 9, class: "strike" }),
  );
}

function yearTicks(start: number, end: number): number[] {
  const ticks: number[] = [];
  const first = new Date(start).getUTCFullYear();
  const last = new Date(end).getUTCFullYear();
  const step = Math.max(1, Math.ceil((last - first + 1) / 12));
  for (let y = first; y <= last + 1; y += step) {
    const t = Date.UTC(y, 0, 1);
    if (t >= start && t <= end) ticks.push(t);
  }
  if (ticks.length < 2) {
    // Short lives: month ticks instead.
    for (let t = new Date(start); t.getTime() <= end; t.setUTCMonth(t.getUTCMonth() + 1)) {
      const m = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1);
      if (m >= start) ticks.push(m);
    }
  }
  return ticks;
}

export interface TimelineHandlers {
  onMarker?: (eventId: string) => void;
  onLane?: (lane: Lane) => void;
}

export function renderTimeline(s: Swimlanes, width: number, handlers: TimelineHandlers = {}): SVGSVGElement {
  const labelW = Math.min(LABEL_W, Math.round(width * LABEL_SHARE));
  const plotW = Math.max(160, width - labelW - PAD_RIGHT);
  // Characters of an 11 px label that fit its column; the whole label is on hover.
  const fit = Math.max(8, Math.floor((labelW - 12) / 6.6));
  const height = PAD_TOP + s.lanes.length * ROW + 8;
  // Pad the span so markers at the very start and end stay inside the plot.
  const span = Math.max(s.end - s.start, 86_400_000);
  const t0 = s.start - span * 0.02;
  const t1 = s.end + span * 0.02;
  const x = (t: number): number => labelW + ((t - t0) / (t1 - t0)) * plotW;
  const rowOf = new Map(s.lanes.map((l, i) => [l.id, i]));
  const y = (lane: string): number => PAD_TOP + (rowOf.get(lane) ?? 0) * ROW + ROW / 2;

  const root = svg("svg", {
    class: "timeline",
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": t("timeline.aria"),
    "data-lanes": s.lanes.length,
    "data-markers": s.markers.length,
  });

  s.lanes.forEach((lane, i) => {
    const top = PAD_TOP + i * ROW;
    const label = lane.label.length > fit ? `${lane.label.slice(0, fit - 1)}…` : lane.label;
    const g = svg(
      "g",
      { class: `lane lane-${lane.kind}`, "data-lane": lane.id },
      svg("rect", { class: i % 2 ? "lane-bg odd" : "lane-bg", x: 0, y: top, width, height: ROW }),
      svg("text", { class: "lane-label", x: 8, y: top + ROW / 2 + 4 }, label, svg("title", {}, lane.label)),
    );
    if (handlers.onLane) g.addEventListener("click", () => handlers.onLane?.(lane));
    root.append(g);
  });

  for (const tick of yearTicks(t0, t1)) {
    const d = new Date(tick);
    const label = d.getUTCMonth() === 0 ? String(d.getUTCFullYear()) : `${d.getUTCFullYear()}-${d.getUTCMonth() + 1}`;
    root.append(
      svg("line", { class: "tick", x1: x(tick), x2: x(tick), y1: PAD_TOP - 6, y2: height - 8 }),
      svg("text", { class: "tick-label", x: x(tick) + 3, y: PAD_TOP - 10 }, label),
    );
  }

  // Hand-over connectors first, so bars and markers draw over them.
  for (let i = 1; i < s.segments.length; i++) {
    const prev = s.segments[i - 1];
    const cur = s.segments[i];
    if (!prev || !cur || prev.to !== cur.from) continue;
    root.append(svg("line", { class: "handover", x1: x(cur.from), x2: x(cur.from), y1: y(prev.lane), y2: y(cur.lane) }));
  }
  for (const seg of s.segments) {
    const lane = s.lanes[rowOf.get(seg.lane) ?? 0];
    root.append(
      svg("rect", {
        class: `stay stay-${lane?.kind ?? "company"}`,
        x: x(seg.from),
        y: y(seg.lane) - 6,
        width: Math.max(4, x(seg.to) - x(seg.from)), // a week's stay stays visible over a decade
        height: 12,
        rx: 3,
        "data-from-event": seg.startEvent,
      }),
    );
  }
  // Voided markers last and lifted above the lane line: a correction often re-reports the same
  // step at the same time, and the struck original must stay visible (and clickable) beside it.
  const ordered = [...s.markers.filter((m) => !m.voided), ...s.markers.filter((m) => m.voided)];
  for (const m of ordered) {
    const shape = markerShape(m, x(m.at), y(m.lane) - (m.voided ? 8 : 0));
    if (handlers.onMarker) shape.addEventListener("click", () => handlers.onMarker?.(m.event.event_id));
    root.append(shape);
  }
  return root;
}

export function legend(): HTMLElement {
  const kinds: MarkerKind[] = ["produced", "move", "installed", "removed", "swap", "repair", "correction", "end", "vehicle"];
  const el = document.createElement("div");
  el.className = "legend";
  for (const kind of kinds) {
    const box = svg("svg", { width: 18, height: 18, viewBox: "0 0 18 18" });
    box.append(
      markerShape(
        {
          kind,
          lane: "",
          at: 0,
          voided: false,
          event: {
            event_id: "",
            type: kind,
            role: "subject",
            occurred_at: "",
            recorded_at: "",
            imported: false,
            reporter: { uscc: null, name: null },
            corrected: false,
            corrected_by: [],
            details: {},
          },
        },
        9,
        9,
      ),
    );
    const item = document.createElement("span");
    item.append(box, t(`mk.${kind}`));
    el.append(item);
  }
  const voided = document.createElement("span");
  voided.className = "legend-voided";
  voided.textContent = t("legend.voided");
  el.append(voided);
  return el;
}
