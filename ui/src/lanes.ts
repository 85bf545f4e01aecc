// Swimlanes from a battery's trace: the server answers where the battery was and when (the
// `segments` of GET /v1/batteries/{code}/trace); the UI only draws them. A lane is one place the battery stayed
// (a company, a vehicle, in transit, inside a pack) and a segment one stay there. Nothing here
// decides which event moves the battery where: markers are placed by looking the event up in the
// segments the server returned.

import { t } from "./i18n";
import type { TimelineEntry, Trace, TraceSegment } from "./types";

export type LaneKind = "company" | "vehicle" | "transit" | "pack";

export interface Lane {
  id: string;
  kind: LaneKind;
  label: string;
  /** The USCC, VIN or pack code the lane stands for ("" for transit). */
  ref: string;
}

export interface Segment {
  lane: string;
  from: number;
  /** Exclusive end; the next move, the end of life, or the end of the axis. */
  to: number;
  startEvent: string;
}

export type MarkerKind =
  | "produced"
  | "move"
  | "installed"
  | "removed"
  | "swap"
  | "repair"
  | "repurposed"
  | "end"
  | "correction"
  | "vehicle"
  | "other";

export interface Marker {
  lane: string;
  at: number;
  kind: MarkerKind;
  event: TimelineEntry;
  /** Voided by a correction: never evidence, struck through on the page. */
  voided: boolean;
}

export interface Swimlanes {
  lanes: Lane[];
  segments: Segment[];
  markers: Marker[];
  start: number;
  end: number;
}

const MARKER_KIND: Record<string, MarkerKind> = {
  produced: "produced",
  shipped: "move",
  received: "move",
  installed: "installed",
  removed: "removed",
  swapped: "swap",
  repaired: "repair",
  repurposed: "repurposed",
  recycled: "end",
  correction: "correction",
};

function laneOf(seg: TraceSegment): Lane {
  const ref = seg.ref ?? "";
  switch (seg.kind) {
    case "holder":
      return { id: `c:${ref}`, kind: "company", label: seg.name ?? ref, ref };
    case "vehicle":
      return { id: `v:${ref}`, kind: "vehicle", label: t("lane.vehicle", { vin: ref }), ref };
    case "transit":
      // One lane for every journey, whoever it was addressed to.
      return { id: "transit", kind: "transit", label: t("lane.transit"), ref: "" };
    case "pack":
      return { id: `p:${ref}`, kind: "pack", label: t("lane.pack", { code: ref }), ref };
  }
}

function reporterLane(e: TimelineEntry): Lane {
  const uscc = e.reporter.uscc ?? "unknown"; // the lane's id: the same in every language
  return { id: `c:${uscc}`, kind: "company", label: e.reporter.name ?? uscc, ref: uscc };
}

function byOccurrence(a: TimelineEntry, b: TimelineEntry): number {
  return Date.parse(a.occurred_at) - Date.parse(b.occurred_at) || a.event_id.localeCompare(b.event_id);
}

/**
 * Lanes, stays and markers for the timeline, from the server's segments and the events.
 *
 * An open segment (still there) runs to the end of the axis, max(now, last event). A marker goes
 * on the lane of the segment its event opened (else closed), else of the segment covering its
 * time, else on its reporter's company lane.
 */
export function buildSwimlanes(trace: Pick<Trace, "events" | "segments">, now: number): Swimlanes {
  const events = [...trace.events].sort(byOccurrence);
  const given = [...trace.segments].sort((a, b) => Date.parse(a.from) - Date.parse(b.from));

  const times = events.map((e) => Date.parse(e.occurred_at));
  const froms = given.map((g) => Date.parse(g.from));
  const start = times.length || froms.length ? Math.min(...times, ...froms) : now;
  const end = Math.max(now, ...times);

  const lanes = new Map<string, Lane>();
  const addLane = (lane: Lane): string => {
    if (!lanes.has(lane.id)) lanes.set(lane.id, lane);
    return lane.id;
  };

  const segments: Segment[] = [];
  const opened = new Map<string, Segment>();
  const closed = new Map<string, Segment>();
  for (const g of given) {
    const seg: Segment = {
      lane: addLane(laneOf(g)),
      from: Date.parse(g.from),
      to: g.to === null ? end : Date.parse(g.to),
      startEvent: g.opened_by,
    };
    segments.push(seg);
    opened.set(g.opened_by, seg);
    if (g.closed_by !== null) closed.set(g.closed_by, seg);
  }
  // Stays are half-open, [from, to): at a hand-over instant the battery is in the new place.
  const covering = (at: number): Segment | undefined =>
    segments.find((g, i) => g.from <= at && (given[i]?.to === null || at < g.to));

  const markers: Marker[] = events.map((e) => {
    const at = Date.parse(e.occurred_at);
    const lane =
      (opened.get(e.event_id) ?? closed.get(e.event_id) ?? covering(at))?.lane ?? addLane(reporterLane(e));
    // A vehicle's own event (sale, scrapping, export) while the pack was in it: on the vehicle's lane.
    const kind = e.role === "vehicle" ? "vehicle" : (MARKER_KIND[e.type] ?? "other");
    return { lane, at, kind, event: e, voided: e.corrected };
  });
  return { lanes: [...lanes.values()], segments, markers, start, end };
}
