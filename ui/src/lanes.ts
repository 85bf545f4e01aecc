// Swimlanes from a battery's trace: after each event the battery is *somewhere* (a company, a
// vehicle, in transit, inside a pack); a lane is one such custodian and a segment the time spent
// there. This is the UI's reading of the event contract, the same one the server's projection
// uses (docs/data-model.md): voided (corrected) events move nothing but stay visible as markers.

import type { TimelineEntry } from "./types";

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

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function companyLane(e: TimelineEntry): Lane {
  const uscc = e.reporter.uscc ?? "unknown";
  return { id: `c:${uscc}`, kind: "company", label: e.reporter.name ?? uscc, ref: uscc };
}

function vehicleLane(vin: string): Lane {
  return { id: `v:${vin}`, kind: "vehicle", label: `Vehicle ${vin}`, ref: vin };
}

const TRANSIT: Lane = { id: "transit", kind: "transit", label: "In transit", ref: "" };

/** Where the battery is after `e`, or null when the event does not move it. */
export function destination(e: TimelineEntry): Lane | null {
  const d = e.details;
  switch (e.type) {
    case "produced":
      if (e.role === "component") {
        const pack = text(d["battery"]);
        return { id: `p:${pack}`, kind: "pack", label: `Inside ${pack}`, ref: pack };
      }
      return companyLane(e);
    case "received":
    case "removed":
    case "recycled":
      return companyLane(e);
    case "repurposed":
      return companyLane(e);
    case "shipped":
      return TRANSIT;
    case "installed":
      return text(d["vehicle"]) ? vehicleLane(text(d["vehicle"])) : null;
    case "swapped":
      // Swapped in: now in the vehicle. Swapped out: in the operator's pool at the station.
      if (e.role === "in") return vehicleLane(text(d["vehicle"]));
      if (e.role === "out") return companyLane(e);
      return null;
    default:
      return null; // repaired, vehicle_sold, correction, ...: the battery stays where it is
  }
}

export function buildSwimlanes(events: readonly TimelineEntry[], now: number): Swimlanes {
  const ordered = [...events].sort(
    (a, b) => Date.parse(a.occurred_at) - Date.parse(b.occurred_at) || a.event_id.localeCompare(b.event_id),
  );
  const lanes = new Map<string, Lane>();
  const segments: Segment[] = [];
  const markers: Marker[] = [];
  let open: Segment | null = null;
  let ended = false;

  const times = ordered.map((e) => Date.parse(e.occurred_at));
  const first = times.length ? Math.min(...times) : now;
  const last = times.length ? Math.max(...times) : now;
  const end = Math.max(now, last);

  for (const e of ordered) {
    const at = Date.parse(e.occurred_at);
    const kind = MARKER_KIND[e.type] ?? "other";
    const target = e.corrected || ended ? null : destination(e);
    if (target) {
      if (!lanes.has(target.id)) lanes.set(target.id, target);
      // A second event placing it in the same lane (e.g. received by the maker that produced it)
      // continues the stay rather than starting a new one.
      if (!open || open.lane !== target.id) {
        if (open) open.to = at;
        open = { lane: target.id, from: at, to: end, startEvent: e.event_id };
        segments.push(open);
      }
      if (e.type === "recycled") {
        open.to = at;
        open = null;
        ended = true; // destroyed: a later event is a finding, not a move
      }
    }
    let lane = target?.id ?? open?.lane ?? segments.at(-1)?.lane;
    if (!lane) {
      // Nothing placed it yet (a voided first event, a correction, a vehicle event): show the
      // marker where the event itself would have put the battery, else with its reporter.
      const own = destination(e) ?? companyLane(e);
      if (!lanes.has(own.id)) lanes.set(own.id, own);
      lane = own.id;
    }
    markers.push({ lane, at, kind, event: e, voided: e.corrected });
  }
  return { lanes: [...lanes.values()], segments, markers, start: first, end };
}
