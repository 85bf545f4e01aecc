import { describe, expect, it } from "vitest";
import { buildSwimlanes } from "./lanes";
import type { TimelineEntry } from "./types";

const MAKER = { uscc: "M", name: "Maker" };
const OEM = { uscc: "O", name: "Automaker" };
const OPERATOR = { uscc: "S", name: "Swap operator" };
const RECYCLER = { uscc: "R", name: "Recycler" };

let seq = 0;
function ev(
  type: string,
  day: number,
  reporter: { uscc: string; name: string },
  details: Record<string, unknown> = {},
  extra: Partial<TimelineEntry> = {},
): TimelineEntry {
  seq += 1;
  const at = new Date(Date.UTC(2024, 0, day)).toISOString();
  return {
    event_id: `e${String(seq).padStart(3, "0")}`,
    type,
    role: "subject",
    occurred_at: at,
    recorded_at: at,
    imported: false,
    reporter,
    corrected: false,
    corrected_by: [],
    details,
    ...extra,
  };
}
const day = (d: number): number => Date.UTC(2024, 0, d);

describe("buildSwimlanes", () => {
  it("follows custody from maker through transit to a vehicle", () => {
    const events = [
      ev("produced", 1, MAKER),
      ev("shipped", 2, MAKER, { to: "O" }),
      ev("received", 4, OEM, { from: "M" }),
      ev("installed", 5, OEM, { vehicle: "VIN1" }),
    ];
    const s = buildSwimlanes(events, day(10));
    expect(s.lanes.map((l) => l.id)).toEqual(["c:M", "transit", "c:O", "v:VIN1"]);
    expect(s.segments.map((g) => [g.lane, g.from, g.to])).toEqual([
      ["c:M", day(1), day(2)],
      ["transit", day(2), day(4)],
      ["c:O", day(4), day(5)],
      ["v:VIN1", day(5), day(10)],
    ]);
    expect(s.markers.map((m) => m.kind)).toEqual(["produced", "move", "move", "installed"]);
  });

  it("puts a swapped-in battery in the vehicle and a swapped-out one with the operator", () => {
    const events = [
      ev("received", 1, OPERATOR),
      ev("swapped", 2, OPERATOR, { vehicle: "VIN1", station: "ST1" }, { role: "in" }),
      ev("swapped", 3, OPERATOR, { vehicle: "VIN1", station: "ST1" }, { role: "out" }),
      ev("swapped", 4, OPERATOR, { vehicle: "VIN2", station: "ST1" }, { role: "in" }),
    ];
    const s = buildSwimlanes(events, day(5));
    expect(s.segments.map((g) => g.lane)).toEqual(["c:S", "v:VIN1", "c:S", "v:VIN2"]);
    expect(s.lanes).toHaveLength(3);
    expect(s.markers.filter((m) => m.kind === "swap")).toHaveLength(3);
  });

  it("keeps a repair on the repairer's lane without a move", () => {
    const events = [
      ev("removed", 1, OEM, { vehicle: "VIN1", reason: "repair" }),
      ev("repaired", 2, OEM),
      ev("installed", 3, OEM, { vehicle: "VIN1" }),
    ];
    const s = buildSwimlanes(events, day(4));
    expect(s.segments.map((g) => g.lane)).toEqual(["c:O", "v:VIN1"]);
    expect(s.markers[1]).toMatchObject({ kind: "repair", lane: "c:O" });
  });

  it("shows a voided event struck on the current lane and moves nothing", () => {
    const events = [
      ev("produced", 1, MAKER),
      ev("installed", 2, MAKER, { vehicle: "VIN9" }, { corrected: true, corrected_by: ["fix"] }),
      ev("correction", 3, MAKER, { corrects: "e-x" }, { role: "correction" }),
    ];
    const s = buildSwimlanes(events, day(4));
    expect(s.lanes.map((l) => l.id)).toEqual(["c:M"]);
    expect(s.markers.map((m) => [m.kind, m.lane, m.voided])).toEqual([
      ["produced", "c:M", false],
      ["installed", "c:M", true],
      ["correction", "c:M", false],
    ]);
  });

  it("ends the last stay at recycling, and later events move nothing", () => {
    const events = [ev("received", 1, RECYCLER), ev("recycled", 3, RECYCLER), ev("installed", 5, OEM, { vehicle: "V" })];
    const s = buildSwimlanes(events, day(9));
    expect(s.segments).toEqual([{ lane: "c:R", from: day(1), to: day(3), startEvent: events[0]?.event_id }]);
    expect(s.markers.at(-1)).toMatchObject({ lane: "c:R", kind: "installed" });
  });

  it("shows a voided first event where it claimed the battery was", () => {
    const events = [
      ev("produced", 1, MAKER, {}, { corrected: true, corrected_by: ["fix"] }),
      ev("produced", 2, MAKER),
    ];
    const s = buildSwimlanes(events, day(3));
    expect(s.lanes.map((l) => l.id)).toEqual(["c:M"]);
    expect(s.markers.map((m) => [m.lane, m.voided])).toEqual([
      ["c:M", true],
      ["c:M", false],
    ]);
  });

  it("sorts events by occurrence, not by arrival", () => {
    const late = ev("installed", 5, OEM, { vehicle: "VIN1" });
    const early = ev("received", 2, OEM);
    const s = buildSwimlanes([late, early], day(6));
    expect(s.segments.map((g) => g.lane)).toEqual(["c:O", "v:VIN1"]);
    expect(s.start).toBe(day(2));
  });
});
