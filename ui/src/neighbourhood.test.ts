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

/** Edges as "source relation target ×count", sorted: the whole graph in one comparable list. */
function edges(g: ReturnType<typeof neighbourhood>): string[] {
  return g.edges.map((e) => `${e.source} ${e.relation} ${e.target} ×${e.count}`).sort();
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

  it("draws custody from the segments alone: vehicle, holder named by the server, pack", () => {
    const g = neighbourhood(detail, [], [
      seg("pack", "P1", "a", "b"),
      seg("holder", "K", "b", "c", "Keeper Ltd"),
      seg("transit", null, "c", "d"),
      seg("vehicle", "V1", "d", "e"),
      seg("holder", "K", "e", "f", "Keeper Ltd"),
      seg("vehicle", "V1", "f"),
    ]);
    expect(edges(g)).toEqual([
      "b:B1 held by c:K ×2",
      "b:B1 installed in v:V1 ×2",
      "b:B1 part of b:P1 ×1",
    ]);
    expect(g.nodes.find((n) => n.id === "c:K")?.label).toBe("Keeper Ltd");
    expect(g.nodes.map((n) => n.id).sort()).toEqual(["b:B1", "b:P1", "c:K", "v:V1"]);
  });

  it("keeps the events' own relations and adds held by only where no edge already says the stay", () => {
    const events = [
      ev("produced", "M", {}),
      ev("shipped", "M", { to: "O" }),
      ev("received", "O", { from: "M" }),
      ev("installed", "O", { vehicle: "V1" }),
      ev("removed", "G", { vehicle: "V1" }),
      ev("repaired", "R", {}),
      ev("repurposed", "U", { new_code: "N1" }),
      ev("recycled", "Y", {}),
    ];
    const segments = [
      seg("holder", "M", "produced-M", "shipped-M", "M Co."),
      seg("transit", "O", "shipped-M", "received-O"),
      seg("holder", "O", "received-O", "installed-O", "O Co."),
      seg("vehicle", "V1", "installed-O", "removed-G"),
      seg("holder", "G", "removed-G", "repaired-R", "G Co."),
      seg("holder", "R", "repaired-R", "repurposed-U", "R Co."),
      seg("holder", "U", "repurposed-U", "recycled-Y", "U Co."),
    ];
    expect(edges(neighbourhood(detail, events, segments))).toEqual([
      "b:B1 held by c:G ×1",
      "b:B1 held by c:O ×1",
      "b:B1 installed in v:V1 ×1",
      "b:B1 produced by c:M ×1",
      "b:B1 recycled by c:Y ×1",
      "b:B1 repaired by c:R ×1",
      "b:B1 repurposed by c:U ×1",
      "b:N1 derived from b:B1 ×1",
      "c:M shipped to c:O ×1",
      "v:V1 removed by c:G ×1",
    ]);
  });

  it("draws held by for a return to the maker, and for the new battery of a repurposing only repurposed by", () => {
    const returned = neighbourhood(
      detail,
      [ev("produced", "M", {}), ev("shipped", "M", { to: "O" }), ev("received", "O", { from: "M" }), ev("shipped", "O", { to: "M" }), ev("received", "M", { from: "O" })],
      [
        seg("holder", "M", "produced-M", "shipped-M"),
        seg("transit", "O", "shipped-M", "received-O"),
        seg("holder", "O", "received-O", "shipped-O"),
        seg("transit", "M", "shipped-O", "received-M"),
        seg("holder", "M", "received-M"),
      ],
    );
    expect(edges(returned).filter((e) => e.includes(" by "))).toEqual([
      "b:B1 held by c:M ×1",
      "b:B1 held by c:O ×1",
      "b:B1 produced by c:M ×1",
    ]);

    const second = { ...detail, derived_from: "B0" } as BatteryDetail;
    const renewed = neighbourhood(second, [ev("repurposed", "U", { battery: "B0", new_code: "B1" }, { role: "new" })], [seg("holder", "U", "repurposed-U")]);
    expect(edges(renewed)).toEqual(["b:B1 derived from b:B0 ×1", "b:B1 repurposed by c:U ×1"]);
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
