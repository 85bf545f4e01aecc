// The mapping from the server's answer (segments + events) to the timeline's lanes, stays and
// markers. The segments are hand-written: which event moves the battery where is the server's
// rule and is tested there; here only the drawing of a given answer is.

import { describe, expect, it } from "vitest";
import { buildSwimlanes } from "./lanes";
import type { TimelineEntry, TraceSegment } from "./types";

const MAKER = { uscc: "M", name: "Maker" };
const OEM = { uscc: "O", name: "Automaker" };
const RECYCLER = { uscc: "R", name: "Recycler" };

const iso = (d: number): string => new Date(Date.UTC(2024, 0, d)).toISOString();
const day = (d: number): number => Date.UTC(2024, 0, d);

function ev(
  id: string,
  type: string,
  d: number,
  reporter: { uscc: string | null; name: string | null },
  extra: Partial<TimelineEntry> = {},
): TimelineEntry {
  return {
    event_id: id,
    type,
    role: "subject",
    occurred_at: iso(d),
    recorded_at: iso(d),
    imported: false,
    reporter,
    corrected: false,
    corrected_by: [],
    details: {},
    ...extra,
  };
}

function seg(
  kind: TraceSegment["kind"],
  ref: string | null,
  from: number,
  to: number | null,
  opened_by: string,
  closed_by: string | null,
  name: string | null = null,
): TraceSegment {
  return { kind, ref, name, from: iso(from), to: to === null ? null : iso(to), opened_by, closed_by };
}

describe("buildSwimlanes", () => {
  it("draws one lane per place, in order of first appearance, with today's ids and labels", () => {
    const events = [
      ev("p", "produced", 1, MAKER),
      ev("s", "shipped", 2, MAKER),
      ev("r", "received", 4, OEM),
      ev("i", "installed", 5, OEM),
    ];
    const segments = [
      seg("holder", "M", 1, 2, "p", "s", "Maker"),
      seg("transit", "O", 2, 4, "s", "r"),
      seg("holder", "O", 4, 5, "r", "i"), // no name: the USCC is the label
      seg("vehicle", "VIN1", 5, null, "i", null),
    ];
    const s = buildSwimlanes({ events, segments }, day(10));
    expect(s.lanes).toEqual([
      { id: "c:M", kind: "company", label: "Maker", ref: "M" },
      { id: "transit", kind: "transit", label: "In transit", ref: "" },
      { id: "c:O", kind: "company", label: "O", ref: "O" },
      { id: "v:VIN1", kind: "vehicle", label: "Vehicle VIN1", ref: "VIN1" },
    ]);
    expect(s.segments).toEqual([
      { lane: "c:M", from: day(1), to: day(2), startEvent: "p" },
      { lane: "transit", from: day(2), to: day(4), startEvent: "s" },
      { lane: "c:O", from: day(4), to: day(5), startEvent: "r" },
      { lane: "v:VIN1", from: day(5), to: day(10), startEvent: "i" },
    ]);
    expect(s.markers.map((m) => [m.event.event_id, m.lane, m.kind])).toEqual([
      ["p", "c:M", "produced"],
      ["s", "transit", "move"], // opened transit and closed the maker's stay: opened wins
      ["r", "c:O", "move"],
      ["i", "v:VIN1", "installed"],
    ]);
    expect([s.start, s.end]).toEqual([day(1), day(10)]);
  });

  it("keeps one lane for a place met twice, and one transit lane whoever the addressee", () => {
    const events = [
      ev("a", "received", 1, OEM),
      ev("b", "installed", 2, OEM),
      ev("c", "removed", 3, OEM),
      ev("d", "shipped", 4, OEM),
      ev("e", "received", 5, MAKER),
      ev("f", "shipped", 6, MAKER),
    ];
    const segments = [
      seg("holder", "O", 1, 2, "a", "b", "Automaker"),
      seg("vehicle", "VIN1", 2, 3, "b", "c"),
      seg("holder", "O", 3, 4, "c", "d", "Automaker"),
      seg("transit", "M", 4, 5, "d", "e"),
      seg("holder", "M", 5, 6, "e", "f", "Maker"),
      seg("transit", null, 6, null, "f", null),
    ];
    const s = buildSwimlanes({ events, segments }, day(7));
    expect(s.lanes.map((l) => l.id)).toEqual(["c:O", "v:VIN1", "transit", "c:M"]);
    expect(s.segments.map((g) => g.lane)).toEqual(["c:O", "v:VIN1", "c:O", "transit", "c:M", "transit"]);
  });

  it("maps a pack segment to an 'Inside' lane", () => {
    const events = [ev("p", "produced", 1, MAKER, { role: "component", details: { battery: "PACK1" } })];
    const s = buildSwimlanes({ events, segments: [seg("pack", "PACK1", 1, null, "p", null)] }, day(2));
    expect(s.lanes).toEqual([{ id: "p:PACK1", kind: "pack", label: "Inside PACK1", ref: "PACK1" }]);
    expect(s.markers[0]?.lane).toBe("p:PACK1");
  });

  it("runs an open segment to the last event when that is later than now", () => {
    const events = [ev("p", "produced", 1, MAKER), ev("x", "repaired", 20, MAKER)];
    const s = buildSwimlanes({ events, segments: [seg("holder", "M", 1, null, "p", null, "Maker")] }, day(5));
    expect(s.segments[0]?.to).toBe(day(20));
    expect(s.end).toBe(day(20));
  });

  it("puts the closing event of the last stay on that stay's lane", () => {
    const events = [ev("r", "received", 1, RECYCLER), ev("x", "recycled", 3, RECYCLER)];
    const s = buildSwimlanes({ events, segments: [seg("holder", "R", 1, 3, "r", "x", "Recycler")] }, day(9));
    expect(s.segments).toEqual([{ lane: "c:R", from: day(1), to: day(3), startEvent: "r" }]);
    expect(s.markers.map((m) => [m.lane, m.kind])).toEqual([
      ["c:R", "move"],
      ["c:R", "end"],
    ]);
  });

  it("places an event that opened and closed nothing on the segment covering its time", () => {
    const events = [
      ev("r", "removed", 1, OEM),
      ev("x", "repaired", 2, OEM),
      ev("i", "installed", 3, OEM),
      ev("v", "vehicle_sold", 3, OEM), // at the hand-over instant: already in the vehicle
    ];
    const segments = [seg("holder", "O", 1, 3, "r", "i", "Automaker"), seg("vehicle", "VIN1", 3, null, "i", null)];
    const s = buildSwimlanes({ events, segments }, day(4));
    expect(s.markers.map((m) => [m.event.event_id, m.lane, m.kind])).toEqual([
      ["r", "c:O", "removed"],
      ["x", "c:O", "repair"],
      ["i", "v:VIN1", "installed"],
      ["v", "v:VIN1", "other"],
    ]);
  });

  it("marks a vehicle's own events (role vehicle) apart, on the vehicle's lane", () => {
    const events = [
      ev("i", "installed", 1, OEM),
      ev("v", "vehicle_exported", 4, OEM, { role: "vehicle", details: { vehicle: "VIN1", destination: "TH" } }),
    ];
    const s = buildSwimlanes({ events, segments: [seg("vehicle", "VIN1", 1, null, "i", null)] }, day(5));
    expect(s.markers.map((m) => [m.event.event_id, m.lane, m.kind])).toEqual([
      ["i", "v:VIN1", "installed"],
      ["v", "v:VIN1", "vehicle"],
    ]);
  });

  it("shows a voided event struck on the lane covering its time, and it opens no lane", () => {
    const events = [
      ev("p", "produced", 1, MAKER),
      ev("bad", "installed", 2, MAKER, { corrected: true, corrected_by: ["fix"] }),
      ev("fix", "correction", 3, MAKER, { role: "correction" }),
    ];
    const s = buildSwimlanes({ events, segments: [seg("holder", "M", 1, null, "p", null, "Maker")] }, day(4));
    expect(s.lanes.map((l) => l.id)).toEqual(["c:M"]);
    expect(s.markers.map((m) => [m.kind, m.lane, m.voided])).toEqual([
      ["produced", "c:M", false],
      ["installed", "c:M", true],
      ["correction", "c:M", false],
    ]);
  });

  it("falls back to the reporter's company lane outside every segment, adding it when absent", () => {
    const events = [
      ev("old", "produced", 1, MAKER, { corrected: true, corrected_by: ["fix"] }), // before the first stay
      ev("r", "received", 2, RECYCLER),
      ev("x", "recycled", 3, RECYCLER),
      ev("late", "installed", 5, OEM), // after the end of life
      ev("anon", "repaired", 6, { uscc: null, name: null }),
    ];
    const s = buildSwimlanes({ events, segments: [seg("holder", "R", 2, 3, "r", "x", "Recycler")] }, day(9));
    expect(s.lanes).toEqual([
      { id: "c:R", kind: "company", label: "Recycler", ref: "R" },
      { id: "c:M", kind: "company", label: "Maker", ref: "M" },
      { id: "c:O", kind: "company", label: "Automaker", ref: "O" },
      { id: "c:unknown", kind: "company", label: "unknown", ref: "unknown" },
    ]);
    expect(s.markers.map((m) => [m.event.event_id, m.lane, m.voided])).toEqual([
      ["old", "c:M", true],
      ["r", "c:R", false],
      ["x", "c:R", false],
      ["late", "c:O", false],
      ["anon", "c:unknown", false],
    ]);
    expect(s.start).toBe(day(1));
  });

  it("uses a segment's holder lane for its reporter rather than adding another", () => {
    const events = [ev("p", "produced", 1, MAKER), ev("x", "recycled", 2, MAKER), ev("late", "repaired", 4, MAKER)];
    const s = buildSwimlanes({ events, segments: [seg("holder", "M", 1, 2, "p", "x", "Maker")] }, day(5));
    expect(s.lanes.map((l) => l.id)).toEqual(["c:M"]);
    expect(s.markers.map((m) => m.lane)).toEqual(["c:M", "c:M", "c:M"]);
  });

  it("orders markers by occurrence and segments by start, whatever the answer's order", () => {
    const events = [ev("i", "installed", 5, OEM), ev("r", "received", 2, OEM)];
    const segments = [seg("vehicle", "VIN1", 5, null, "i", null), seg("holder", "O", 2, 5, "r", "i", "Automaker")];
    const s = buildSwimlanes({ events, segments }, day(6));
    expect(s.markers.map((m) => m.event.event_id)).toEqual(["r", "i"]);
    expect(s.segments.map((g) => g.lane)).toEqual(["c:O", "v:VIN1"]);
    expect(s.lanes.map((l) => l.id)).toEqual(["c:O", "v:VIN1"]);
  });

  it("draws nothing but the axis for an empty answer", () => {
    const s = buildSwimlanes({ events: [], segments: [] }, day(6));
    expect(s).toEqual({ lanes: [], segments: [], markers: [], start: day(6), end: day(6) });
  });
});
