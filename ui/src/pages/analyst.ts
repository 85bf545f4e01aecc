// Analyst's page: the company-to-company custody flow network (or the station-to-station swap
// network), coloured by Louvain community, brokers (highest betweenness) drawn as stars.

import { analyticsAvailable, type FlowNetwork, loadFlowNetwork, type NetworkName, type Weight } from "../analytics";
import { errorNotice, h, kv, notice, section, table, words } from "../dom";
import { communityColour, type FlowNode, renderFlowNetwork } from "../graph";

export interface AnalystRoute {
  network: NetworkName;
  weight: Weight;
  province: string | undefined;
}

export function analystHash(r: AnalystRoute): string {
  const q = new URLSearchParams({ network: r.network, weight: r.weight });
  if (r.province) q.set("province", r.province);
  return `#/analyst?${q.toString()}`;
}

function fmt(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? v.toLocaleString("en") : v.toLocaleString("en", { maximumFractionDigits: 3 });
  if (Array.isArray(v)) return v.map(String).map(words).join(", ");
  if (typeof v === "boolean") return v ? "yes" : "no";
  return words(String(v));
}

function nodePanel(panel: HTMLElement, n: FlowNode, net: FlowNetwork): void {
  const betweenness = net.metrics?.betweenness.find((s) => s.id === n.id)?.value;
  const pagerank = net.metrics?.pagerank.find((s) => s.id === n.id)?.value;
  const rows: Array<[string, string]> = [
    ["id", n.id],
    ["community", n.community === null ? "—" : String(n.community)],
    ["broker", n.broker ? "yes (top betweenness)" : "no"],
    [`throughput (${net.weight})`, fmt(n.size)],
  ];
  if (betweenness !== undefined) rows.push(["betweenness", fmt(betweenness)]);
  if (pagerank !== undefined) rows.push(["PageRank", fmt(pagerank)]);
  const skip = new Set(["id", "name", "kind", "lat", "lon"]);
  for (const [k, v] of Object.entries(n.detail)) {
    if (skip.has(k) || v === null || (typeof v === "object" && !Array.isArray(v))) continue;
    rows.push([words(k), fmt(v)]);
  }
  panel.replaceChildren(h("h3", { "data-testid": "flow-selected" }, n.label), n.unlicensed ? notice("error", "Takes in used packs without a valid white-list licence.") : "", kv(rows));
}

function controls(route: AnalystRoute): HTMLElement {
  const province = h("input", { name: "province", placeholder: "province (GB/T 2260, e.g. 330000)", value: route.province ?? "", pattern: "\\d{6}", size: 28 });
  const choose = <T extends string>(name: string, value: T, options: T[]): HTMLSelectElement =>
    h("select", { name }, options.map((o) => h("option", { value: o, selected: o === value }, words(o))));
  const network = choose<NetworkName>("network", route.network, ["custody", "swaps"]);
  const weight = choose<Weight>("weight", route.weight, ["batteries", "kg"]);
  const form = h("form", { class: "controls" }, h("label", {}, "network ", network), h("label", {}, "weight ", weight), province, h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    location.hash = analystHash({
      network: network.value as NetworkName,
      weight: weight.value as Weight,
      province: province.value.trim() || undefined,
    });
  });
  return form;
}

export async function renderAnalyst(root: HTMLElement, route: AnalystRoute): Promise<void> {
  const title = h("h1", {}, route.network === "swaps" ? "Swap network" : "Custody flow network");
  root.replaceChildren(title, h("p", { class: "muted" }, "Loading…"));
  try {
    if (!(await analyticsAvailable())) {
      root.replaceChildren(title, notice("unavailable", "The analytics API (/v1/analytics) is not available on this server yet.", "analytics-unavailable"));
      return;
    }
    const net = await loadFlowNetwork(route.network, route.weight, { province: route.province });
    const canvas = h("div", { class: "graph tall", "data-testid": "flow-graph" });
    const panel = h("aside", { class: "graph-info", "data-testid": "flow-info" }, h("p", { class: "muted" }, "Click a node for its figures."));
    const communities = net.metrics?.communities ?? [];
    const what = route.network === "swaps" ? "stations" : "companies";
    let select: (id: string) => void = () => undefined;
    const brokerItems = net.brokers.map((b) =>
      h("li", {}, h("a", { href: "#", "data-node": b.id, onclick: ((e: Event) => { e.preventDefault(); select(b.id); }) as EventListener }, b.name ?? b.id), h("span", { class: "muted" }, ` betweenness ${fmt(b.value)}`)),
    );
    root.replaceChildren(
      title,
      controls(route),
      section(
        route.network === "swaps" ? "Stations linked by the packs that leave one and enter another" : "Companies and the batteries they pass on",
        "flow",
        h(
          "p",
          { class: "muted", "data-testid": "flow-summary" },
          `${net.nodes.length} ${what}, ${net.edges.length} flows, ${communities.length} communities` +
            (net.metrics ? ` (modularity ${net.metrics.modularity.toFixed(2)})` : "") +
            `; edge width = ${route.weight}, node size = throughput, ★ = broker` +
            (route.network === "custody" ? ", red ring = unlicensed recycler / dismantler / second-life firm" : "") +
            ".",
        ),
        h(
          "div",
          { class: "legend", "data-testid": "communities" },
          communities.slice(0, 20).map((c) => h("span", {}, h("span", { class: "swatch", style: `background:${communityColour(c.index)}` }), `community ${c.index} (${c.size})`)),
        ),
        h("div", { class: "graph-row" }, canvas, panel),
      ),
      h(
        "div",
        { class: "two-columns" },
        section(
          "Brokers",
          "brokers",
          h("p", { class: "muted small" }, `Intermediaries (receiving and passing on) ranked by betweenness.`),
          brokerItems.length ? h("ol", { "data-testid": "broker-list" }, brokerItems) : h("p", { class: "muted" }, "No intermediaries."),
        ),
        section(
          "Heaviest flows",
          "top-flows",
          net.metrics?.top_flows.length
            ? table(
                ["from", "to", "batteries", "kg"],
                net.metrics.top_flows.slice(0, 10).map((f) => [net.names.get(f.source) ?? f.source, net.names.get(f.target) ?? f.target, fmt(f.batteries), fmt(Math.round(f.kg))]),
              )
            : h("p", { class: "muted" }, "No flows."),
        ),
      ),
    );
    requestAnimationFrame(() => {
      const byId = new Map(net.nodes.map((n) => [n.id, n]));
      const cy = renderFlowNetwork(canvas, net.nodes, net.edges, (n) => nodePanel(panel, n, net));
      select = (id: string) => {
        const node = byId.get(id);
        if (!node) return;
        cy.elements().unselect();
        cy.getElementById(id).select();
        nodePanel(panel, node, net);
      };
    });
  } catch (err) {
    root.replaceChildren(title, errorNotice(err, "load-error"));
  }
}
