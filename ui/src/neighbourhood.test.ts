// The neighbourhood graph from a trace: custody (installed in, held by, part of) from the server's
// segments, who reported what from the events. The segments are hand-written as the server's
// replay would answer them; which event moves the battery where is tested on the server.

import { describe, expect, it } from "vitest";
import { neighbourhood } from "./neighbourhood";
import type { BatteryDetail, TimelineEntry, TraceSegment } from "./types";

const detail = {
  code: "B1",
  parent: null,
  derived_from: null,
  second_life_products: [],
} as unknown as BatteryDetail;

function ev(type: string, reporter: string, details: Record<string, unknown>, extra: Partial<TimelineEntry> = {}): TimelineEntry {
  return {
    event_id: `${type}-${reporter}`,
    type,
    role: "subject",
    occurred_at: "2024-01-01T00:00:00+08:00",
    recorded_at: "2024-01-01T00:00:00+08:00",
    imported: false,
    reporter: { uscc: reporter, name: `${reporter} Co.` },
    corrected: false,
    corrected_by: [],
    details,
    ...extra,
  };
}

function seg(
  kind: TraceSegment["kind"],
  ref: string | null,
  opened_by: string,
  closed_by: string | null = null,
  name: string | null = null,
): TraceSegment {
  return { kind, ref, name, from: "2024-01-01T00:00:00+08:00", to: closed_by ? "2024-01-02T00:00:00+08:00" : null, opened_by, closed_by };
}

describe("neighbourhood", () => {
  it("counts a hand-over told by both sides once", () => {
    const g = neighbourhood(
      detail,
      [ev("shipped", "M", { to: "O" }), ev("received", "O", { from: "M" })],
      [seg("transit", "O", "shipped-M", "received-O"), seg("holder", "O", "received-O", null, "O Co.")],
    );
    const ship = g.edges.filter((e) => e.relation === "shipped to");
    expect(ship).toEqual([expect.objectContaining({ source: "c:M", target: "c:O", count: 1 })]);
    expect(g.nodes.find((n) => n.id === "c:O")?.label).toBe("O Co.");
  });

  it("links vehicles, stations and operators from swaps, and leaves voided events out", () => {
    const events = [
      ev("swapped", "S", { vehicle: "V1", station: "ST1" }, { role: "in", event_id: "in" }),
      ev("swapped", "S", { vehicle: "V1", station: "ST1" }, { role: "out", event_id: "out" }),
      ev("installed", "O", { vehicle: "V9" }, { corrected: true, corrected_by: ["c1"] }),
    ];
    // The server's replay skips the voided installation: no segment names V9.
    const segments = [seg("vehicle", "V1", "in", "out"), seg("holder", "S", "out", null, "S Co.")];
    const g = neighbourhood(detail, events, segments);
    const ids = g.nodes.map((n) => n.id).sort();
    expect(ids).toEqual(["b:B1", "c:S", "s:ST1", "v:V1"]);
    // After the swap-out the battery is in the operator's pool: held by, beside the station's edges.
    expect(g.edges.map((e) => e.relation).sort()).toEqual(["held by", "installed in", "operated by", "swapped in at", "swapped out at"]);
    // "installed in" is the vehicle segment's, not the swap event's.
    const withoutStays = neighbourhood(detail, events, []);
    expect(withoutStays.edges.map((e) => e.relation)).not.toContain("installed in");
    expect(withoutStays.nodes.map((n) => n.id)).not.toContain("v:V1");
  });

  it("counts a pack or an original told by both the trace and the detail once", () => {
    const module = { ...detail, parent: "P1" } as BatteryDetail;
    const original = { ...detail, second_life_products: ["N1"] } as BatteryDetail;
    const assembly = ev("produced", "M", { battery: "P1" }, { role: "component" });
    const part = neighbourhood(module, [assembly], [seg("pack", "P1", "produced-M")]);
    // The assembly is the pack's stay, not a production of the module: no "produced by".
    expect(part.edges).toEqual([expect.objectContaining({ source: "b:B1", target: "b:P1", relation: "part of", count: 1 })]);
    const derived = neighbourhood(original, [ev("repurposed", "U", { new_code: "N1" })], []).edges.filter((e) => e.relation === "derived from");
    expect(derived).toEqual([expect.objectContaining({ source: "b:N1", target: "b:B1", count: 1 })]);
  });
});
