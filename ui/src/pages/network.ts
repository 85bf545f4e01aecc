// The custody network made readable: keep the heaviest flows or one community, place each
// community in its own patch of the plane, label only the nodes whose label fits, and say what
// each community holds. Pure functions, so the page and its unit tests share them.

import type { FlowEdge, FlowNode } from "../graph";

export interface NetworkView {
  nodes: FlowNode[];
  edges: FlowEdge[];
}

/** The heaviest `top` flows (all with null) among the nodes of `community` (all with null). */
export function filterNetwork(nodes: FlowNode[], edges: FlowEdge[], top: number | null, community: number | null): NetworkView {
  const inside = community === null ? nodes : nodes.filter((n) => n.community === community);
  const ids = new Set(inside.map((n) => n.id));
  let kept = edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  if (top !== null) {
    kept = [...kept].sort((a, b) => b.weight - a.weight || a.source.localeCompare(b.source) || a.target.localeCompare(b.target)).slice(0, top);
    const ends = new Set(kept.flatMap((e) => [e.source, e.target]));
    return { nodes: inside.filter((n) => ends.has(n.id)), edges: kept };
  }
  return { nodes: inside, edges: kept };
}

const GOLDEN = Math.PI * (3 - Math.sqrt(5));
const SPACING = 46;

/**
 * Communities apart: each on a sunflower spiral of its own (biggest member in the middle), the
 * spirals packed in rows, biggest community first. Nodes outside any community form one more.
 */
export function communityLayout(nodes: FlowNode[]): Map<string, { x: number; y: number }> {
  const groups = new Map<number, FlowNode[]>();
  for (const n of nodes) {
    const key = n.community ?? -1;
    groups.set(key, [...(groups.get(key) ?? []), n]);
  }
  const ordered = [...groups.values()].sort((a, b) => b.length - a.length);
  const radius = (count: number): number => SPACING * Math.sqrt(count) + SPACING;
  const perRow = Math.max(1, Math.ceil(Math.sqrt(ordered.length)));
  const out = new Map<string, { x: number; y: number }>();
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  ordered.forEach((members, i) => {
    if (i > 0 && i % perRow === 0) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const r = radius(members.length);
    const cx = x + r;
    const cy = y + r;
    [...members]
      .sort((a, b) => b.size - a.size || a.id.localeCompare(b.id))
      .forEach((n, k) => {
        const d = SPACING * Math.sqrt(k);
        out.set(n.id, { x: cx + d * Math.cos(k * GOLDEN), y: cy + d * Math.sin(k * GOLDEN) });
      });
    x += 2 * r + SPACING;
    rowHeight = Math.max(rowHeight, 2 * r + SPACING);
  });
  return out;
}

/**
 * The nodes that keep their label at first sight: biggest first (brokers before all), each label
 * placed under its node only where it overlaps no label placed already, at most `limit`.
 */
export function labelsThatFit(
  nodes: FlowNode[],
  positions: Map<string, { x: number; y: number }>,
  limit = 40,
  charWidth = 5,
  lineHeight = 12,
): Set<string> {
  const boxes: Array<[number, number, number, number]> = [];
  const kept = new Set<string>();
  const order = [...nodes].sort((a, b) => Number(b.broker) - Number(a.broker) || b.size - a.size || a.id.localeCompare(b.id));
  for (const n of order) {
    if (kept.size >= limit) break;
    const p = positions.get(n.id);
    if (!p) continue;
    const half = (Math.min(n.label.length, 22) * charWidth) / 2;
    const box: [number, number, number, number] = [p.x - half, p.y + 8, p.x + half, p.y + 8 + lineHeight];
    if (boxes.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3])) continue;
    boxes.push(box);
    kept.add(n.id);
  }
  return kept;
}

export interface CommunityNote {
  index: number;
  size: number;
  biggest: string[];
  provinces: Array<[string, number]>;
}

/** What each community holds: its size, its three biggest members, its two commonest provinces. */
export function describeCommunities(nodes: FlowNode[]): CommunityNote[] {
  const groups = new Map<number, FlowNode[]>();
  for (const n of nodes) if (n.community !== null) groups.set(n.community, [...(groups.get(n.community) ?? []), n]);
  return [...groups]
    .map(([index, members]) => {
      const provinces = new Map<string, number>();
      for (const m of members) {
        const p = typeof m.detail["province"] === "string" ? (m.detail["province"] as string) : "";
        if (p) provinces.set(p, (provinces.get(p) ?? 0) + 1);
      }
      return {
        index,
        size: members.length,
        biggest: [...members].sort((a, b) => b.size - a.size || a.id.localeCompare(b.id)).slice(0, 3).map((m) => m.label),
        provinces: [...provinces].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 2),
      };
    })
    .sort((a, b) => b.size - a.size || a.index - b.index);
}
