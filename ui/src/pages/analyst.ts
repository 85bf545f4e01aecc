// Analyst's page: the company-to-company custody flow network (or the station-to-station swap
// network), coloured by Louvain community, brokers (highest betweenness) drawn as stars; cut to the
// heaviest flows or one community, communities laid out apart and described in a legend, a time
// window and a province, and the network saved as GraphML or CSV (the API's export).

import type { Query } from "../api";
import { analyticsAvailable, type FlowNetwork, loadFlowNetwork, type NetworkName, type Weight } from "../analytics";
import { errorNotice, h, kv, notice, section, table, words } from "../dom";
import { communityColour, type FlowNode, renderFlowNetwork } from "../graph";
import { num, t } from "../i18n";
import { PROVINCES, provinceLabel } from "../provinces";
import { fadeSection } from "./fade";
import { fetchFile, save } from "./files";
import { communityLayout, describeCommunities, filterNetwork, labelsThatFit } from "./network";
import { w } from "./words";

export interface AnalystRoute {
  network: NetworkName;
  weight: Weight;
  province: string | undefined;
  /** Days (YYYY-MM-DD, China time) bounding the flows: from `since`, before the day after `until`. */
  since?: string | undefined;
  until?: string | undefined;
  /** The heaviest N flows; null for all of them. */
  top?: number | null;
  community?: number | null;
}

export const DEFAULT_TOP = 50;
const TOPS = [20, 50, 100, 200];

export function analystHash(r: AnalystRoute): string {
  const q = new URLSearchParams({ network: r.network, weight: r.weight });
  if (r.province) q.set("province", r.province);
  if (r.since) q.set("since", r.since);
  if (r.until) q.set("until", r.until);
  if (r.top !== undefined && r.top !== DEFAULT_TOP) q.set("top", r.top === null ? "all" : String(r.top));
  if (r.community !== undefined && r.community !== null) q.set("community", String(r.community));
  return `#/analyst?${q.toString()}`;
}

/** The route's own parameters read from the hash's query (top, community, the time window). */
export function analystExtras(q: URLSearchParams): Pick<AnalystRoute, "since" | "until" | "top" | "community"> {
  const day = (v: string | null): string | undefined => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);
  const top = q.get("top");
  const community = q.get("community");
  return {
    since: day(q.get("since")),
    until: day(q.get("until")),
    top: top === "all" ? null : top && /^\d+$/.test(top) ? Number(top) : DEFAULT_TOP,
    community: community && /^\d+$/.test(community) ? Number(community) : null,
  };
}

/** The API's filters for the route: the province and the window as instants in China time. */
export function apiFilters(r: AnalystRoute): Query {
  const next = (d: string): string => {
    const at = new Date(`${d}T12:00:00+08:00`);
    at.setUTCDate(at.getUTCDate() + 1);
    return at.toISOString().slice(0, 10);
  };
  return {
    province: r.province,
    since: r.since ? `${r.since}T00:00:00+08:00` : undefined,
    until: r.until ? `${next(r.until)}T00:00:00+08:00` : undefined,
  };
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

function controls(route: AnalystRoute, communities: number[]): HTMLElement {
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
  const top = h(
    "select",
    { name: "top", "data-testid": "top-picker" },
    TOPS.map((n) => h("option", { value: String(n), selected: route.top === n }, w("an.topN", { n }))),
    h("option", { value: "all", selected: route.top === null }, w("an.topAll")),
  );
  const community = h(
    "select",
    { name: "community", "data-testid": "community-picker" },
    h("option", { value: "" }, w("an.allCommunities")),
    communities.map((c) => h("option", { value: String(c), selected: route.community === c }, w("an.communityName", { i: c }))),
  );
  const since = h("input", { type: "date", name: "since", value: route.since ?? "", "data-testid": "since" });
  const until = h("input", { type: "date", name: "until", value: route.until ?? "", "data-testid": "until" });
  const form = h(
    "form",
    { class: "controls" },
    h("label", {}, t("an.network"), network),
    h("label", {}, t("an.weight"), weight),
    h("label", {}, t("an.province"), province),
    h("label", {}, `${w("an.since")} `, since),
    h("label", {}, `${w("an.until")} `, until),
    h("label", {}, `${w("an.top")} `, top),
    h("label", {}, `${w("an.communityPick")} `, community),
    h("button", { type: "submit" }, t("an.show")),
  );
  const hashNow = (): string =>
    analystHash({
      network: network.value as NetworkName,
      weight: weight.value as Weight,
      province: province.value || undefined,
      since: since.value || undefined,
      until: until.value || undefined,
      top: top.value === "all" ? null : Number(top.value),
      // Another network or window has other communities: the choice does not carry over.
      community: network.value === route.network && community.value ? Number(community.value) : null,
    });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    location.hash = hashNow();
  });
  // The cut and the community are the page's own: they apply at once.
  for (const el of [top, community]) el.addEventListener("change", () => (location.hash = hashNow()));
  return form;
}

function exportButtons(route: AnalystRoute): HTMLElement {
  const status = h("span", { class: "muted small", "data-testid": "export-status" });
  const button = (format: "graphml" | "csv", label: string): HTMLButtonElement => {
    const b = h("button", { type: "button", "data-testid": `export-${format}` }, label);
    b.addEventListener("click", () => {
      status.textContent = t("common.loading");
      void fetchFile(`/v1/analytics/${route.network}/export`, { ...apiFilters(route), format }, `${route.network}.${format}`)
        .then(({ name, blob }) => {
          save(name, blob);
          status.textContent = "";
        })
        .catch((err: unknown) => status.replaceChildren(errorNotice(err)));
    });
    return b;
  };
  return h("div", { class: "export-buttons", "data-testid": "exports" }, `${w("an.export")}: `, button("graphml", w("an.exportGraphml")), button("csv", w("an.exportCsv")), status);
}

function legendOf(net: FlowNetwork, route: AnalystRoute): HTMLElement {
  const notes = describeCommunities(net.nodes).slice(0, 20);
  return h(
    "ul",
    { class: "community-legend", "data-testid": "communities" },
    notes.map((c) =>
      h(
        "li",
        { "data-community": c.index, class: route.community === c.index ? "active" : null },
        h("span", { class: "swatch", style: `background:${communityColour(c.index)}` }),
        h(
          "span",
          {},
          h("a", { href: analystHash({ ...route, community: route.community === c.index ? null : c.index }), title: w("an.only") }, w("an.communityName", { i: c.index })),
          " ",
          h(
            "span",
            { class: "muted" },
            w("an.legendRow", {
              n: c.size,
              members: c.biggest.join(", "),
              provinces: c.provinces.map(([p, n]) => `${provinceLabel(p)} ${n}`).join(", ") || "—",
            }),
          ),
        ),
      ),
    ),
  );
}

export async function renderAnalyst(root: HTMLElement, route: AnalystRoute): Promise<void> {
  const title = h("h1", {}, route.network === "swaps" ? t("an.swaps") : t("an.custody"));
  root.replaceChildren(title, h("p", { class: "muted" }, t("common.loading")));
  try {
    if (!(await analyticsAvailable())) {
      root.replaceChildren(title, notice("unavailable", t("an.unavailable"), "analytics-unavailable"));
      return;
    }
    const net = await loadFlowNetwork(route.network, route.weight, apiFilters(route));
    const top = route.top === undefined ? DEFAULT_TOP : route.top;
    const community = route.community ?? null;
    const shown = filterNetwork(net.nodes, net.edges, top, community);
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
      controls({ ...route, top, community }, [...new Set(net.nodes.flatMap((n) => (n.community === null ? [] : [n.community])))].sort((a, b) => a - b)),
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
          "p",
          { class: "small", "data-testid": "flow-shown" },
          w("an.shownOf", { nodes: num(shown.nodes.length), allNodes: num(net.nodes.length), edges: num(shown.edges.length), allEdges: num(net.edges.length) }),
          " ",
          h("span", { class: "muted" }, w("an.labelsHint")),
          " ",
          exportButtons(route),
        ),
        h("h3", {}, w("an.legendTitle")),
        legendOf(net, { ...route, top, community }),
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
      fadeSection(apiFilters(route)),
    );
    requestAnimationFrame(() => {
      const byId = new Map(net.nodes.map((n) => [n.id, n]));
      const positions = communityLayout(shown.nodes);
      const labelled = labelsThatFit(shown.nodes, positions);
      const cy = renderFlowNetwork(canvas, shown.nodes, shown.edges, (n) => nodePanel(panel, n, net), { positions, labelled });
      canvas.dataset["labelled"] = String(labelled.size);
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
