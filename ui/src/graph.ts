// cytoscape (bundled from npm) for the neighbourhood graph and the analyst's flow network.

import cytoscape from "cytoscape";
import { type MessageKey, t } from "./i18n";
import type { GraphData, GNode } from "./neighbourhood";

/** Handles kept on window for the browser tests and for poking at the graph from the console. */
declare global {
  interface Window {
    batterytrace?: { graphs: Record<string, cytoscape.Core> };
  }
}

function register(name: string, cy: cytoscape.Core): void {
  window.batterytrace ??= { graphs: {} };
  window.batterytrace.graphs[name] = cy;
}

const KIND_STYLE: cytoscape.StylesheetJson = [
  {
    selector: "node",
    style: {
      label: "data(label)",
      "font-size": 10,
      "text-valign": "bottom",
      "text-margin-y": 4,
      color: "#1f2a37",
      "text-wrap": "ellipsis",
      "text-max-width": "120px",
      width: 26,
      height: 26,
      "border-width": 1,
      "border-color": "#ffffff",
    },
  },
  { selector: "node[kind = 'battery']", style: { shape: "round-hexagon", "background-color": "#2f7d5b" } },
  { selector: "node[kind = 'vehicle']", style: { shape: "round-rectangle", "background-color": "#3b6fb6" } },
  { selector: "node[kind = 'station']", style: { shape: "diamond", "background-color": "#c07a12" } },
  { selector: "node[kind = 'company']", style: { shape: "ellipse", "background-color": "#7c5aa6" } },
  {
    selector: "node[?focus]",
    style: { width: 44, height: 44, "border-width": 4, "border-color": "#173f2e", "font-weight": "bold", "font-size": 11 },
  },
  { selector: "node.expanded", style: { "border-width": 3, "border-color": "#0b2545" } },
  {
    selector: "edge",
    style: {
      width: 1.5,
      "line-color": "#9aa5b1",
      "target-arrow-color": "#9aa5b1",
      "target-arrow-shape": "triangle",
      "arrow-scale": 0.8,
      "curve-style": "bezier",
      label: "",
      "font-size": 8,
      color: "#52606d",
      "text-rotation": "autorotate",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.8,
      "text-background-padding": "1px",
    },
  },
  { selector: "edge.named", style: { label: "data(label)" } },
  { selector: "node:selected", style: { "overlay-color": "#f0b429", "overlay-opacity": 0.35, "overlay-padding": 6 } },
];

/** Up to this many relations every edge carries its label; beyond, the labels overlapped, so an
 * edge is named only while one of its ends is pointed at or selected. */
const NAMED_EDGES = 8;

function nameEdgesOnDemand(cy: cytoscape.Core): void {
  const all = (): boolean => cy.edges().length <= NAMED_EDGES;
  const refresh = (): void => {
    cy.edges().removeClass("named");
    if (all()) cy.edges().addClass("named");
    else cy.nodes(":selected").connectedEdges().addClass("named");
  };
  refresh();
  cy.on("mouseover", "node", (evt) => evt.target.connectedEdges().addClass("named"));
  cy.on("mouseout", "node", refresh);
  cy.on("select unselect add", refresh);
}

export interface NeighbourhoodHandlers {
  onNode: (node: GNode, cy: cytoscape.Core) => void;
}

// The relations neighbourhood.ts names, in the reader's language (the ids stay English).
const RELATION: Record<string, MessageKey> = {
  "produced by": "edge.producedBy",
  "removed by": "edge.removedBy",
  "repaired by": "edge.repairedBy",
  "swapped in at": "edge.swappedInAt",
  "swapped out at": "edge.swappedOutAt",
  "operated by": "edge.operatedBy",
  "repurposed by": "edge.repurposedBy",
  "recycled by": "edge.recycledBy",
  "installed in": "edge.installedIn",
  "held by": "edge.heldBy",
  "part of": "edge.partOf",
  "derived from": "edge.derivedFrom",
  "shipped to": "edge.shippedTo",
};

function relationLabel(relation: string): string {
  const key = RELATION[relation];
  return key ? t(key) : relation;
}

function toElements(data: GraphData): cytoscape.ElementDefinition[] {
  return [
    ...data.nodes.map((n) => ({ group: "nodes" as const, data: { ...n, focus: n.focus ?? false } })),
    ...data.edges.map((e) => ({
      group: "edges" as const,
      data: { ...e, label: e.count > 1 ? `${relationLabel(e.relation)} ×${e.count}` : relationLabel(e.relation) },
    })),
  ];
}

const RING: Record<string, number> = { battery: 1, company: 2, station: 2, vehicle: 0 };

export function neighbourhoodLayout(cy: cytoscape.Core): void {
  // Concentric, deterministic: the battery in the middle, companies and stations next, vehicles
  // and other batteries outside; stays readable when a swap pack meets dozens of vehicles.
  cy.layout({
    name: "concentric",
    animate: false,
    minNodeSpacing: 40,
    spacingFactor: 1.2,
    concentric: (n: cytoscape.NodeSingular) => (n.data("focus") ? 10 : (RING[String(n.data("kind"))] ?? 0)),
    levelWidth: () => 1,
  } as cytoscape.ConcentricLayoutOptions).run();
}

export function renderNeighbourhood(
  container: HTMLElement,
  data: GraphData,
  handlers: NeighbourhoodHandlers,
): cytoscape.Core {
  const cy = cytoscape({
    container,
    elements: toElements(data),
    style: KIND_STYLE,
    wheelSensitivity: 0.3,
    minZoom: 0.2,
    maxZoom: 3,
  });
  neighbourhoodLayout(cy);
  nameEdgesOnDemand(cy);
  cy.on("tap", "node", (evt) => handlers.onNode(evt.target.data() as GNode, cy));
  register("neighbourhood", cy);
  container.dataset["nodes"] = String(cy.nodes().length);
  container.dataset["edges"] = String(cy.edges().length);
  return cy;
}

/** Add elements (a vehicle's batteries, say) without losing what the user was looking at. */
export function addToGraph(cy: cytoscape.Core, data: GraphData, around: string): void {
  const fresh = toElements(data).filter((el) => el.data.id !== undefined && cy.getElementById(el.data.id).empty());
  if (!fresh.length) return;
  const anchor = cy.getElementById(around);
  const focus = cy.nodes("[?focus]").first();
  const added = cy.add(fresh);
  const newNodes = added.nodes();
  const p = anchor.nonempty() ? anchor.position() : { x: 0, y: 0 };
  const f = focus.nonempty() ? focus.position() : { x: 0, y: 0 };
  // Fan the new nodes out on an arc facing away from the focus battery, so they do not land on
  // the rings already drawn; the arc widens and recedes as the list grows.
  const away = Math.atan2(p.y - f.y, p.x - f.x) || 0;
  const n = newNodes.length;
  const spread = Math.min(Math.PI * 1.6, 0.35 * n);
  const radius = Math.max(90, (n * 34) / Math.max(spread, 0.35));
  newNodes.forEach((node, i) => {
    const angle = away + (n > 1 ? -spread / 2 + (spread * i) / (n - 1) : 0);
    node.position({ x: p.x + radius * Math.cos(angle), y: p.y + radius * Math.sin(angle) });
  });
  cy.fit(undefined, 30);
  const container = cy.container();
  if (container) {
    container.dataset["nodes"] = String(cy.nodes().length);
    container.dataset["edges"] = String(cy.edges().length);
  }
}

// ---- the analyst's flow network ----

export interface FlowNode {
  id: string;
  label: string;
  community: number | null;
  broker: boolean;
  /** A dismantler, second-life or recycling firm without a valid white-list licence. */
  unlicensed: boolean;
  size: number;
  detail: Record<string, unknown>;
}

export interface FlowEdge {
  source: string;
  target: string;
  weight: number;
}

const PALETTE = [
  "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
  "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363",
];

export function communityColour(community: number | null): string {
  return community === null ? "#9aa5b1" : (PALETTE[Math.abs(community) % PALETTE.length] ?? "#9aa5b1");
}

/** Where the nodes go (a layout computed by the page) and which carry their label at first sight. */
export interface FlowLayout {
  positions: Map<string, { x: number; y: number }>;
  labelled: Set<string>;
}

export function renderFlowNetwork(
  container: HTMLElement,
  nodes: FlowNode[],
  edges: FlowEdge[],
  onNode: (node: FlowNode) => void,
  layout?: FlowLayout,
): cytoscape.Core {
  const maxW = Math.max(1, ...edges.map((e) => e.weight));
  const maxS = Math.max(1, ...nodes.map((n) => n.size));
  const known = new Set(nodes.map((n) => n.id));
  const cy = cytoscape({
    container,
    elements: [
      ...nodes.map((n) => ({
        group: "nodes" as const,
        data: {
          id: n.id,
          label: n.label,
          colour: communityColour(n.community),
          broker: n.broker,
          unlicensed: n.unlicensed,
          diameter: 14 + 30 * Math.sqrt(n.size / maxS),
        },
        ...(layout ? { position: layout.positions.get(n.id) ?? { x: 0, y: 0 }, classes: layout.labelled.has(n.id) ? "labelled" : "" } : {}),
      })),
      ...edges
        .filter((e) => known.has(e.source) && known.has(e.target))
        .map((e, i) => ({
          group: "edges" as const,
          data: {
            id: `f${i}`,
            source: e.source,
            target: e.target,
            weight: e.weight,
            thickness: 0.6 + 6 * (e.weight / maxW),
          },
        })),
    ],
    style: [
      {
        selector: "node",
        style: {
          "background-color": "data(colour)",
          width: "data(diameter)",
          height: "data(diameter)",
          label: "data(label)",
          "font-size": 8,
          "text-valign": "bottom",
          "text-wrap": "ellipsis",
          "text-max-width": "110px",
          color: "#1f2a37",
        },
      },
      { selector: "node[?unlicensed]", style: { "border-width": 3, "border-color": "#b42318", "border-style": "double" } },
      {
        selector: "node[?broker]",
        style: {
          shape: "star",
          "border-width": 3,
          "border-color": "#111827",
          "font-weight": "bold",
          "font-size": 10,
          "z-index": 10,
        },
      },
      {
        selector: "edge",
        style: {
          width: "data(thickness)",
          "line-color": "#b8c2cc",
          opacity: 0.75,
          "curve-style": "bezier",
          "target-arrow-shape": "triangle",
          "target-arrow-color": "#b8c2cc",
          "arrow-scale": 0.6,
        },
      },
      { selector: "node:selected", style: { "overlay-color": "#f0b429", "overlay-opacity": 0.4, "overlay-padding": 6 } },
      // With a page's layout: labels only on the nodes it chose (those that fit), the rest on zoom.
      ...(layout
        ? [
            { selector: "node", style: { label: "", "min-zoomed-font-size": 7 } },
            { selector: "node.labelled, node.zoomed, node:selected", style: { label: "data(label)", "text-background-color": "#ffffff", "text-background-opacity": 0.7, "text-background-padding": "1px" } },
          ]
        : []),
    ],
    wheelSensitivity: 0.3,
  });
  if (layout) {
    cy.layout({ name: "preset", fit: true, padding: 24 } as cytoscape.PresetLayoutOptions).run();
    // Close enough, every label has room: show them all.
    cy.on("zoom", () => {
      const all = cy.zoom() > 1.8;
      cy.batch(() => cy.nodes().forEach((n) => void (all ? n.addClass("zoomed") : n.removeClass("zoomed"))));
    });
  } else {
    cy.layout({
      name: "cose",
      animate: false,
      randomize: false,
      nodeRepulsion: () => 9000,
      idealEdgeLength: () => 70,
      numIter: 1500,
    } as cytoscape.CoseLayoutOptions).run();
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  cy.on("tap", "node", (evt) => {
    const node = byId.get(String(evt.target.id()));
    if (node) onNode(node);
  });
  register("flow", cy);
  container.dataset["nodes"] = String(cy.nodes().length);
  container.dataset["edges"] = String(cy.edges().length);
  return cy;
}
