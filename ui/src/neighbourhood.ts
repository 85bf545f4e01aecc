// The battery's neighbourhood as graph elements, read from its trace: the vehicles it was in,
// the stations that swapped it, the companies that held or shipped it, and related batteries.
// Where the battery was (in a vehicle, with a company, inside a pack) is the server's answer, the
// trace's `segments`; nothing here decides custody from event types. The events add who reported
// what (produced, shipped, repaired, removed, swapped, repurposed, recycled by whom), which says
// more than a stay does. Voided events are left out: the graph shows what the record says happened.

import type { BatteryDetail, Component, TimelineEntry, TraceSegment } from "./types";

export type NodeKind = "battery" | "vehicle" | "station" | "company";

export interface GNode {
  id: string;
  kind: NodeKind;
  label: string;
  ref: string;
  focus?: boolean;
}

export interface GEdge {
  id: string;
  source: string;
  target: string;
  relation: string;
  count: number;
}

export interface GraphData {
  nodes: GNode[];
  edges: GEdge[];
}

export const nodeId = {
  battery: (code: string) => `b:${code}`,
  vehicle: (vin: string) => `v:${vin}`,
  station: (id: string) => `s:${id}`,
  company: (uscc: string) => `c:${uscc}`,
};

export class GraphBuilder {
  private readonly nodes = new Map<string, GNode>();
  private readonly edges = new Map<string, GEdge>();

  node(kind: NodeKind, ref: string, label?: string, focus = false): string {
    const id = nodeId[kind](ref);
    const known = this.nodes.get(id);
    if (!known) this.nodes.set(id, { id, kind, ref, label: label ?? ref, ...(focus ? { focus } : {}) });
    else if (label && known.label === known.ref) known.label = label; // a name beats a bare code
    return id;
  }

  private readonly tallies = new Map<string, Map<string, number>>();

  /**
   * One edge per (source, relation, target). `witness` names who reports it: a hand-over is
   * told by the sender (shipped) and by the receiver (received), so the count is the larger of
   * the witnesses' tallies, not their sum.
   */
  edge(source: string, target: string, relation: string, witness = ""): void {
    const id = `${source}|${relation}|${target}`;
    const tally = this.tallies.get(id) ?? new Map<string, number>();
    tally.set(witness, (tally.get(witness) ?? 0) + 1);
    this.tallies.set(id, tally);
    const count = Math.max(...tally.values());
    const known = this.edges.get(id);
    if (known) known.count = count;
    else this.edges.set(id, { id, source, target, relation, count });
  }

  build(): GraphData {
    return { nodes: [...this.nodes.values()], edges: [...this.edges.values()] };
  }
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/**
 * Events whose own edge already joins the battery to their reporter: "produced by",
 * "repaired by", "repurposed by" (the new battery of a repurposing included).
 */
function tellsTheStay(e: TimelineEntry): boolean {
  return e.type === "produced" || e.type === "repaired" || e.type === "repurposed";
}

export function neighbourhood(
  detail: BatteryDetail,
  events: readonly TimelineEntry[],
  segments: readonly TraceSegment[],
  components: readonly Component[] = [],
): GraphData {
  const g = new GraphBuilder();
  const me = g.node("battery", detail.code, detail.code, true);
  const company = (e: TimelineEntry): string | null =>
    e.reporter.uscc ? g.node("company", e.reporter.uscc, e.reporter.name ?? undefined) : null;

  for (const e of events) {
    if (e.corrected) continue;
    const d = e.details;
    const reporter = company(e);
    switch (e.type) {
      case "produced":
        // A component's production is its assembly into a pack: the pack segment says "part of".
        if (e.role === "component" && str(d["battery"])) break;
        if (reporter) g.edge(me, reporter, "produced by");
        break;
      case "shipped":
        if (reporter && str(d["to"])) g.edge(reporter, g.node("company", str(d["to"])), "shipped to", "sender");
        break;
      case "received":
        if (reporter && str(d["from"])) g.edge(g.node("company", str(d["from"])), reporter, "shipped to", "receiver");
        break;
      case "removed":
        if (str(d["vehicle"]) && reporter) g.edge(g.node("vehicle", str(d["vehicle"])), reporter, "removed by");
        break;
      case "repaired":
        if (reporter) g.edge(me, reporter, "repaired by");
        break;
      case "swapped": {
        const station = str(d["station"]) ? g.node("station", str(d["station"])) : null;
        if (station) g.edge(me, station, e.role === "in" ? "swapped in at" : "swapped out at");
        if (station && reporter) g.edge(station, reporter, "operated by", e.event_id); // a fact, not a tally
        break;
      }
      case "repurposed":
        if (reporter) g.edge(me, reporter, "repurposed by");
        if (str(d["new_code"]) && e.role !== "new") g.edge(g.node("battery", str(d["new_code"])), me, "derived from", "events");
        break;
      case "recycled":
        if (reporter) g.edge(me, reporter, "recycled by");
        break;
      default:
        break;
    }
  }

  // The stays, as the server's replay placed them; an edge's count is the number of stays.
  const byId = new Map(events.filter((e) => !e.corrected).map((e) => [e.event_id, e]));
  for (const s of segments) {
    if (!s.ref) continue; // nothing to link to (a journey with no addressee named)
    switch (s.kind) {
      case "vehicle":
        g.edge(me, g.node("vehicle", s.ref), "installed in", "stays");
        break;
      case "pack":
        g.edge(me, g.node("battery", s.ref), "part of", "stays");
        break;
      case "holder": {
        // A stay opened by the maker's production, a repair or a repurposing is already drawn
        // between the same two nodes ("produced by", "repaired by", "repurposed by"): a "held by"
        // beside it would only double the line. Later stays with that company (the battery came
        // back) and stays opened by a receipt, a removal or a swap-out do get "held by": no edge
        // from the battery to that company says it was there.
        const opener = byId.get(s.opened_by);
        if (opener && opener.reporter.uscc === s.ref && tellsTheStay(opener)) break;
        g.edge(me, g.node("company", s.ref, s.name ?? undefined), "held by", "stays");
        break;
      }
      case "transit":
        break; // the hand-over is drawn between the companies ("shipped to")
    }
  }

  // The detail tells again what the stays and events told: a second witness, not a second relation.
  if (detail.parent) g.edge(me, g.node("battery", detail.parent), "part of", "detail");
  if (detail.derived_from) g.edge(me, g.node("battery", detail.derived_from), "derived from", "detail");
  for (const p of detail.second_life_products) g.edge(g.node("battery", p), me, "derived from", "detail");
  for (const c of components) {
    if (c.depth === 1) g.edge(g.node("battery", c.code), me, "part of");
  }
  return g.build();
}
