import { describe, expect, it } from "vitest";
import { neighbourhood } from "./neighbourhood";
import type { BatteryDetail, TimelineEntry } from "./types";

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

describe("neighbourhood", () => {
  it("counts a hand-over told by both sides once", () => {
    const g = neighbourhood(detail, [ev("shipped", "M", { to: "O" }), ev("received", "O", { from: "M" })]);
    const ship = g.edges.filter((e) => e.relation === "shipped to");
    expect(ship).toEqual([expect.objectContaining({ source: "c:M", target: "c:O", count: 1 })]);
    expect(g.nodes.find((n) => n.id === "c:O")?.label).toBe("O Co.");
  });

  it("links vehicles, stations and operators from swaps, and leaves voided events out", () => {
    const g = neighbourhood(detail, [
      ev("swapped", "S", { vehicle: "V1", station: "ST1" }, { role: "in" }),
      ev("swapped", "S", { vehicle: "V1", station: "ST1" }, { role: "out" }),
      ev("installed", "O", { vehicle: "V9" }, { corrected: true, corrected_by: ["c1"] }),
    ]);
    const ids = g.nodes.map((n) => n.id).sort();
    expect(ids).toEqual(["b:B1", "c:S", "s:ST1", "v:V1"]);
    expect(g.edges.map((e) => e.relation).sort()).toEqual(["installed in", "operated by", "swapped in at", "swapped out at"]);
  });

  it("counts a pack or an original told by both the events and the detail once", () => {
    const module = { ...detail, parent: "P1" } as BatteryDetail;
    const original = { ...detail, second_life_products: ["N1"] } as BatteryDetail;
    const part = neighbourhood(module, [ev("produced", "M", { battery: "P1" }, { role: "component" })]);
    expect(part.edges).toEqual([expect.objectContaining({ source: "b:B1", target: "b:P1", relation: "part of", count: 1 })]);
    const derived = neighbourhood(original, [ev("repurposed", "U", { new_code: "N1" })]).edges.filter((e) => e.relation === "derived from");
    expect(derived).toEqual([expect.objectContaining({ source: "b:N1", target: "b:B1", count: 1 })]);
  });
});
