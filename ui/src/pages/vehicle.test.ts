import { describe, expect, it } from "vitest";
import { type Stay, stationsOf } from "./vehicle";

const stay = (code: string, since: string, until: string | null, extra: Partial<Stay> = {}): Stay => ({
  code,
  level: "pack",
  since,
  until,
  since_event: `in-${code}-${since}`,
  until_event: until ? `out-${code}-${until}` : null,
  ...extra,
});

describe("the stations of a vehicle's swaps", () => {
  it("counts each swap once, though it ends one stay and opens the next", () => {
    const stays = [
      stay("A", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", { since_type: "installed", until_type: "swapped", until_station: "S1", until_station_name: "One", until_event: "sw1" }),
      stay("B", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z", { since_type: "swapped", since_station: "S1", since_station_name: "One", since_event: "sw1", until_type: "swapped", until_station: "S2", until_event: "sw2" }),
      stay("A", "2024-03-01T00:00:00Z", null, { since_type: "swapped", since_station: "S2", since_event: "sw2" }),
      stay("C", "2024-04-01T00:00:00Z", null, { since_type: "swapped", since_station: "S1", since_station_name: "One", since_event: "sw3" }),
    ];
    expect(stationsOf(stays)).toEqual([
      { id: "S1", name: "One", swaps: 2, first: "2024-02-01T00:00:00Z", last: "2024-04-01T00:00:00Z" },
      { id: "S2", name: null, swaps: 1, first: "2024-03-01T00:00:00Z", last: "2024-03-01T00:00:00Z" },
    ]);
    expect(stationsOf([stay("A", "2024-01-01T00:00:00Z", null, { since_type: "installed" })])).toEqual([]);
  });
});
