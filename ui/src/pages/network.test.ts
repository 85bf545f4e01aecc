import { describe, expect, it } from "vitest";
import type { FlowEdge, FlowNode } from "../graph";
import { communityLayout, describeCommunities, filterNetwork, labelsThatFit } from "./network";

const node = (id: string, community: number | null, size: number, province = "110000"): FlowNode => ({
  id,
  label: `Company ${id}`,
  community,
  broker: false,
  unlicensed: false,
  size,
  detail: { province },
});
const edge = (source: string, target: string, weight: number): FlowEdge => ({ source, target, weight });

const nodes = [node("a", 0, 30), node("b", 0, 20), node("c", 0, 5, "440000"), node("d", 1, 12, "440000"), node("e", 1, 3, "440000"), node("f", null, 1)];
const edges = [edge("a", "b", 10), edge("b", "c", 2), edge("a", "d", 5), edge("d", "e", 3), edge("e", "f", 1)];

describe("cutting the network", () => {
  it("keeps the heaviest flows and only their ends", () => {
    const top2 = filterNetwork(nodes, edges, 2, null);
    expect(top2.edges.map((e) => `${e.source}>${e.target}`)).toEqual(["a>b", "a>d"]);
    expect(top2.nodes.map((n) => n.id).sort()).toEqual(["a", "b", "d"]);
    expect(filterNetwork(nodes, edges, null, null).edges).toHaveLength(5);
  });

  it("keeps one community and the flows inside it", () => {
    const one = filterNetwork(nodes, edges, null, 1);
    expect(one.nodes.map((n) => n.id)).toEqual(["d", "e"]);
    expect(one.edges.map((e) => `${e.source}>${e.target}`)).toEqual(["d>e"]);
    expect(filterNetwork(nodes, edges, 1, 0).nodes.map((n) => n.id)).toEqual(["a", "b"]);
  });
});

describe("the layout", () => {
  it("puts communities apart: every node nearer its own community's centre than any other's", () => {
    const at = communityLayout(nodes);
    expect(at.size).toBe(nodes.length);
    const centre = (c: number | null) => {
      const ps = nodes.filter((n) => n.community === c).map((n) => at.get(n.id)!);
      return { x: ps.reduce((s, p) => s + p.x, 0) / ps.length, y: ps.reduce((s, p) => s + p.y, 0) / ps.length };
    };
    const centres = [0, 1, null].map((c) => [c, centre(c)] as const);
    for (const n of nodes) {
      const p = at.get(n.id)!;
      const nearest = centres.reduce((best, cur) => (Math.hypot(p.x - cur[1].x, p.y - cur[1].y) < Math.hypot(p.x - best[1].x, p.y - best[1].y) ? cur : best));
      expect(nearest[0], n.id).toBe(n.community);
    }
  });

  it("labels the biggest nodes first and never two labels on top of each other", () => {
    const at = new Map([["a", { x: 0, y: 0 }], ["b", { x: 5, y: 2 }], ["c", { x: 0, y: 200 }]]);
    const labelled = labelsThatFit([node("a", 0, 30), node("b", 0, 20), node("c", 0, 5)], at);
    expect([...labelled].sort()).toEqual(["a", "c"]);
    expect(labelsThatFit(nodes, communityLayout(nodes), 2).size).toBe(2);
  });
});

describe("the legend", () => {
  it("says what each community holds: size, biggest members, commonest provinces", () => {
    expect(describeCommunities(nodes)).toEqual([
      { index: 0, size: 3, biggest: ["Company a", "Company b", "Company c"], provinces: [["110000", 2], ["440000", 1]] },
      { index: 1, size: 2, biggest: ["Company d", "Company e"], provinces: [["440000", 2]] },
    ]);
  });
});
