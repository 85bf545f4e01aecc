// Analyst's page: the company-to-company custody flow network (or the station-to-station swap
// network), coloured by Louvain community, brokers (highest betweenness) drawn as stars.

import { analyticsAvailable, type FlowNetwork, loadFlowNetwork, type NetworkName, type Weight } from "../analytics";
import { errorNotice, h, kv, notice, section, table, words } from "../dom";
import { communityColour, type FlowNode, renderFlowNetwork } from "../graph";
import { num, t } from "../i18n";
import { PROVINCES, provinceLabel } from "../provinces";

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
  if (typeof v === "number") return Number.isInteger(v) ? num(v) : num(v, 3);
  if (Array.isArray(v)) return v.map(String).map(words).join(", ");
  if (typeof v === "boolean") return v ? t("common.yes") : t("common.no");
  return words(String(v));
}

function nodePanel(panel: HTMLElement, n: FlowNode, net: FlowNetwork): void {
  const betweenness = net.metrics?.betweenness.find((s) => s.id === n.id)?.value;
  const pagerank = net.metrics?.pagerank.find((s) => s.id === n.id)?.value;
  const rows: Array<[string, string]> = [
    [t("an.id"), n.id],
    [t("an.communityLabel"), n.community === null ? "—" : String(n.community)],
    [t("an.broker"), n.broker ? t("an.brokerYes") : t("common.no")],
    [t("an.throughput", { weight: t(`an.opt.${net.weight}`) }), fmt(n.size)],
  ];
  if (betweenness !== undefined) rows.push([t("an.betweenness"), fmt(betweenness)]);
  if (pagerank !== undefined) rows.push(["PageRank", fmt(pagerank)]);
  const skip = new Set(["id", "name", "kind", "lat", "lon"]);
  for (const [k, v] of Object.entries(n.detail)) {
    if (skip.has(k) || v === null || (typeof v === "object" && !Array.isArray(v))) continue;
    rows.push([words(k), fmt(v)]);
  }
  panel.replaceChildren(h("h3", { "data-testid": "flow-selected" }, n.label), n.unlicensed ? notice("error", t("an.unlicensed")) : "", kv(rows));
}

function controls(route: AnalystRoute): HTMLElement {
  // A province by its name, not a GB/T 2260 code to type.
  const province = h(
    "select",
    { name: "province", "data-testid": "province-picker" },
    h("option", { value: "" }, t("reg.allProvinces")),
    PROVINCES.map((p) => h("option", { value: p.code, selected: p.code === route.province }, `${provinceLabel(p.code)} (${p.code})`)),
  );
  const choose = <T extends NetworkName | Weight>(name: string, value: T, options: T[]): HTMLSelectElement =>
    h("select", { name }, options.map((o) => h("option", { value: o, selected: o === value }, t(`an.opt.${o}`))));
  const network = choose<NetworkName>("network", route.network, ["custody", "swaps"]);
  const weight = choose<Weight>("weight", route.weight, ["batteries", "kg"]);
  const form = h(
    "form",
    { class: "controls" },
    h("label", {}, t("an.network"), network),
    h("label", {}, t("an.weight"), weight),
    h("label", {}, t("an.province"), province),
    h("button", { type: "submit" }, t("an.show")),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    location.hash = analystHash({
      network: network.value as NetworkName,
      weight: weight.value as Weight,
      province: province.value || undefined,
    });
  });
  return form;
}

export async function renderAnalyst(root: HTMLElement, route: AnalystRoute): Promise<void> {
  const title = h("h1", {}, route.network === "swaps" ? t("an.swaps") : t("an.custody"));
  root.replaceChildren(title, h("p", { class: "muted" }, t("common.loading")));
  try {
    if (!(await analyticsAvailable())) {
      root.replaceChildren(title, notice("unavailable", t("an.unavailable"), "analytics-unavailable"));
      return;
    }
    const net = await loadFlowNetwork(route.network, route.weight, { province: route.province });
    const canvas = h("div", { class: "graph tall", "data-testid": "flow-graph" });
    const panel = h("aside", { class: "graph-info", "data-testid": "flow-info" }, h("p", { class: "muted" }, t("an.clickNode")));
    const communities = net.metrics?.communities ?? [];
    const what = route.network === "swaps" ? t("an.stations") : t("an.companies");
    let select: (id: string) => void = () => undefined;
    const brokerItems = net.brokers.map((b) =>
      h("li", {}, h("a", { href: "#", "data-node": b.id, onclick: ((e: Event) => { e.preventDefault(); select(b.id); }) as EventListener }, b.name ?? b.id), h("span", { class: "muted" }, ` ${t("an.betweenness")} ${fmt(b.value)}`)),
    );
    root.replaceChildren(
      title,
      controls(route),
      section(
        route.network === "swaps" ? t("an.swapsSection") : t("an.custodySection"),
        "flow",
        h(
          "p",
          { class: "muted", "data-testid": "flow-summary" },
          t("an.summary", { nodes: num(net.nodes.length), what, edges: num(net.edges.length), communities: communities.length }) +
            (net.metrics ? t("an.modularity", { m: num(net.metrics.modularity, 2) }) : "") +
            t("an.legend", { weight: t(`an.opt.${route.weight}`) }) +
            (route.network === "custody" ? t("an.redRing") : "") +
            t("common.stop"),
        ),
        h(
          "div",
          { class: "legend", "data-testid": "communities" },
          communities.slice(0, 20).map((c) => h("span", {}, h("span", { class: "swatch", style: `background:${communityColour(c.index)}` }), t("an.community", { i: c.index, n: c.size }))),
        ),
        h("div", { class: "graph-row" }, canvas, panel),
      ),
      h(
        "div",
        { class: "two-columns" },
        section(
          t("an.brokers"),
          "brokers",
          h("p", { class: "muted small" }, t("an.brokersHint")),
          brokerItems.length ? h("ol", { "data-testid": "broker-list" }, brokerItems) : h("p", { class: "muted" }, t("an.noBrokers")),
        ),
        section(
          t("an.heaviest"),
          "top-flows",
          net.metrics?.top_flows.length
            ? table(
                [t("col.from"), t("col.to"), t("an.opt.batteries"), t("an.opt.kg")],
                net.metrics.top_flows.slice(0, 10).map((f) => [net.names.get(f.source) ?? f.source, net.names.get(f.target) ?? f.target, fmt(f.batteries), fmt(Math.round(f.kg))]),
              )
            : h("p", { class: "muted" }, t("an.noFlows")),
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
