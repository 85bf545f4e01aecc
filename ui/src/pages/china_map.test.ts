import { describe, expect, it } from "vitest";
import table from "../../../app/identifiers/provinces.json";
import { chinaMap, parseChinaMap } from "./china_map";

describe("the bundled province outlines", () => {
  it("name every GB/T 2260 province of the API's table, once, by its code", () => {
    const ids = chinaMap().features.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(table.provinces.map((p) => p.code).sort());
    for (const f of chinaMap().features) expect(f.properties.name).toBe(f.id);
  });

  it("keep each province's centre for placing it", () => {
    const centres = chinaMap().features.map((f) => f.properties.cp);
    expect(centres.every((cp) => Array.isArray(cp) && cp.length === 2)).toBe(true);
  });

  it("refuse a file that is not the expected script", () => {
    expect(() => parseChinaMap("var x = 1;")).toThrow(/registerMap/);
    expect(() => parseChinaMap("echarts.registerMap('china', {\"type\":\"Topology\"});\n}));")).toThrow(/FeatureCollection/);
  });
});
