// Client of the analytics API (issue 4, app/api/analytics.py): a network's node-link graph, its
// metrics (Louvain communities, betweenness, PageRank) and its brokers, joined for drawing.

import { getJson, type Query, serverPaths } from "./api";
import type { FlowEdge, FlowNode } from "./graph";

export type NetworkName = "custody" | "swaps";
export type Weight = "batteries" | "kg";

interface NodeLinkNode {
  id: string;
  name?: string | null;
  [attr: string]: unknown;
}

interface NodeLinkEdge {
  source: string;
  target: string;
  batteries?: number;
  kg?: number;
  [attr: string]: unknown;
}

interface NodeLink {
  nodes: NodeLinkNode[];
  edges?: NodeLinkEdge[];
  links?: NodeLinkEdge[]; // networkx's older default key
}

interface Score {
  id: string;
  name?: string | null;
  value: number;
}

interface Summary {
  nodes: number;
  edges: number;
  total_batteries: number;
  total_kg: number;
}

export interface Metrics {
  summary: Summary;
  top_flows: Array<{ source: string; target: string; batteries: number; kg: number }>;
  pagerank: Score[];
  betweenness: Score[];
  communities: Array<{ index: number; size: number; members: Array<{ id: string; name?: string | null }> }>;
  modularity: number;
}

interface Brokers {
  brokers: Score[];
  sampled?: number | null;
}

export interface FlowNetwork {
  network: NetworkName;
  weight: Weight;
  nodes: FlowNode[];
  edges: FlowEdge[];
  metrics: Metrics | null;
  brokers: Score[];
  names: Map<string, string>;
}

export async function analyticsAvailable(): Promise<boolean> {
  return (await serverPaths()).has("/v1/analytics/{network}/graph");
}

// Roles that must hold a white-list licence to take in used packs (docs/data-model.md).
const LICENSED_ROLES = new Set(["dismantler", "second_life", "recycler"]);

function unlicensedSink(n: NodeLinkNode): boolean {
  const roles = Array.isArray(n["roles"]) ? (n["roles"] as unknown[]).map(String) : [];
  return n["licensed"] === false && roles.some((r) => LICENSED_ROLES.has(r));
}

export async function loadFlowNetwork(
  network: NetworkName,
  weight: Weight,
  query: Query = {},
  topBrokers = 5,
): Promise<FlowNetwork> {
  const base = `/v1/analytics/${network}`;
  const [graph, metrics, brokers] = await Promise.all([
    getJson<NodeLink>(`${base}/graph`, query),
    // Metrics and brokers enrich the picture; the graph alone is still worth showing.
    getJson<Metrics>(`${base}/metrics`, { ...query, weight, top: 50 }).catch(() => null),
    getJson<Brokers>(`${base}/brokers`, { ...query, top: topBrokers }).catch(() => null),
  ]);
  const community = new Map<string, number>();
  for (const c of metrics?.communities ?? []) for (const m of c.members) community.set(m.id, c.index);
  const brokerIds = new Set((brokers?.brokers ?? []).map((b) => b.id));
  const edgeList = graph.edges ?? graph.links ?? [];
  const edges: FlowEdge[] = edgeList.map((e) => ({
    source: String(e.source),
    target: String(e.target),
    weight: (weight === "kg" ? e.kg : e.batteries) ?? 1,
  }));
  // Throughput: what passes through a node in either direction, in the chosen weight.
  const through = new Map<string, number>();
  for (const e of edges) {
    through.set(e.source, (through.get(e.source) ?? 0) + e.weight);
    through.set(e.target, (through.get(e.target) ?? 0) + e.weight);
  }
  const names = new Map<string, string>();
  const nodes: FlowNode[] = graph.nodes.map((n) => {
    const id = String(n.id);
    const label = typeof n.name === "string" && n.name ? n.name : id;
    names.set(id, label);
    return {
      id,
      label,
      community: community.get(id) ?? null,
      broker: brokerIds.has(id),
      unlicensed: unlicensedSink(n),
      size: through.get(id) ?? 0,
      detail: n,
    };
  });
  return { network, weight, nodes, edges, metrics, brokers: brokers?.brokers ?? [], names };
}
