// Investigator's page: one battery's identity, state, journey, neighbourhood, flags and parts.

import type cytoscape from "cytoscape";
import { ApiError, getJson, getOptional } from "../api";
import {
  batteryLink,
  errorNotice,
  formatDate,
  formatTime,
  h,
  kv,
  notice,
  section,
  table,
  vehicleLink,
} from "../dom";
import { addToGraph, renderNeighbourhood } from "../graph";
import { buildSwimlanes } from "../lanes";
import { t, term } from "../i18n";
import { type Finding, findingsForBattery, leakageAvailable, listRules } from "../leakage";
import { fillNames, namedCode, stationName } from "../names";
import { GraphBuilder, type GNode, neighbourhood, nodeId } from "../neighbourhood";
import { provinceName } from "../provinces";
import { ruleTitle } from "../rules_zh";
import { legend, renderTimeline } from "../timeline";
import { publicLead } from "./public";
import type {
  BatteryDetail,
  Company,
  Components,
  StationSwaps,
  Trace,
  VehicleBatteries,
} from "../types";
import { vocab } from "../vocab";
import { eventFilter } from "./events";
import { w } from "./words";

const VIN_RE = /^[A-HJ-NPR-Z0-9]{17}$/;
const CODE_RE = /^[A-Z0-9]{24}$/;

/** A whole VIN opens its vehicle, a whole 24-character code its battery (a bad one shows the API's
 * reason); anything else is searched for (a part of a code or VIN, a company, a station). */
export function routeFor(query: string): string {
  const typed = query.trim();
  const q = typed.replace(/[\s-]+/g, "").toUpperCase();
  if (!q) return "#/battery";
  if (VIN_RE.test(q)) return `#/vehicle/${encodeURIComponent(q)}`;
  if (CODE_RE.test(q)) return `#/battery/${encodeURIComponent(q)}`;
  return `#/search?q=${encodeURIComponent(typed)}`;
}

export function searchBox(initial = ""): HTMLElement {
  const input = h("input", {
    id: "search",
    type: "search",
    placeholder: w("s.placeholder"),
    value: initial,
    autocomplete: "off",
    spellcheck: "false",
    "aria-label": w("s.aria"),
  });
  const form = h(
    "form",
    { class: "search", role: "search" },
    input,
    h("button", { type: "submit" }, w("s.button")),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    location.hash = routeFor(input.value);
  });
  return form;
}

export function statusBadge(status: string | null): HTMLElement {
  return h("span", { class: `badge status-${status ?? "unknown"}`, "data-testid": "status" }, term("status", status));
}

function identityCard(b: BatteryDetail, producer: Company | null): HTMLElement {
  const id = b.identity;
  const custodian = b.current_custodian;
  const vehicle = b.current_vehicle;
  return section(
    t("identity.title"),
    "identity",
    h("div", { class: "headline" }, h("span", { class: "code big", "data-testid": "battery-code" }, b.code), statusBadge(b.status)),
    h(
      "div",
      { class: "columns" },
      kv([
        [t("f.makerCode"), h("span", { class: "code" }, id.maker_code)],
        [t("f.level"), term("level", id.level)],
        [t("f.chemistry"), `${id.chemistry ? vocab("chemistries", id.chemistry) : "—"}${id.chemistry_confirmed === false ? t("f.letterOnly") : ""}`],
        [t("f.spec"), h("span", { class: "code" }, id.spec_code ?? "—")],
        [t("f.traceInfo"), h("span", { class: "code" }, id.trace_info ?? "—")],
        // As the code spells it (positions 14-16 decoded): a part of the code, not a moment.
        [t("f.productionDate"), id.production_date ?? "—"],
        [t("f.serial"), h("span", { class: "code" }, id.serial ?? "—")],
        [t("f.secondLife"), id.second_life ? t("common.yes") : t("common.no")],
      ]),
      kv([
        [t("f.statusSince"), formatTime(b.status_since)],
        [
          t("f.custodian"),
          custodian
            ? [
                h("strong", { "data-testid": "custodian" }, custodian.name ?? custodian.uscc),
                h("span", { class: "muted" }, ` ${custodian.uscc} · ${(custodian.roles ?? []).map((r) => vocab("company_roles", r)).join(", ")} · ${t("common.since", { date: formatDate(custodian.since) })}`),
              ]
            : h("span", { class: "muted", "data-testid": "custodian" }, vehicle ? t("f.inVehicle") : "—"),
        ],
        [
          t("f.vehicle"),
          vehicle
            ? [vehicleLink(vehicle.vin), h("span", { class: "muted" }, ` ${vehicle.model ?? ""} · ${t("common.since", { date: formatDate(vehicle.since) })}`)]
            : "—",
        ],
        [t("f.producer"), producer?.name ? `${producer.name} (${b.producer ?? ""})` : (b.producer ?? "—")],
        [t("f.massCapacity"), `${b.mass_kg ?? "—"} kg · ${b.capacity_kwh ?? "—"} kWh`],
        [t("f.events"), t("f.eventsValue", { n: b.event_count, date: formatDate(b.last_event_at) })],
        [t("f.partOf"), b.parent ? batteryLink(b.parent) : "—"],
        [t("f.derivedFrom"), b.derived_from ? batteryLink(b.derived_from) : "—"],
        [t("f.secondLifeProducts"), b.second_life_products.length ? b.second_life_products.map((c) => batteryLink(c)) : "—"],
      ]),
    ),
  );
}

function highlightEvent(id: string): void {
  const row = document.getElementById(`ev-${id}`);
  if (!row) return;
  const details = row.closest("details");
  if (details) details.open = true;
  document.querySelectorAll("tr.highlight").forEach((r) => r.classList.remove("highlight"));
  row.classList.add("highlight");
  row.scrollIntoView({ block: "center", behavior: "smooth" });
}

function timelineCard(trace: Trace): HTMLElement {
  const lanes = buildSwimlanes(trace, Date.now());
  const holder = h("div", { class: "timeline-holder", "data-testid": "timeline" });
  const counts = {
    swaps: lanes.markers.filter((m) => m.kind === "swap").length,
    repairs: lanes.markers.filter((m) => m.kind === "repair").length,
    voided: lanes.markers.filter((m) => m.voided).length,
  };
  const card = section(
    t("journey.title"),
    "journey",
    h(
      "p",
      { class: "muted" },
      t("journey.summary", { events: trace.events.length, lanes: lanes.lanes.length, ...counts }),
    ),
    legend(),
    holder,
    h(
      "details",
      { open: trace.events.length <= 40, class: "events-details" },
      h("summary", {}, t("journey.all", { n: trace.events.length })),
      eventFilter(trace),
    ),
  );
  // Draw once the card is in the page, so the SVG can take the real width.
  requestAnimationFrame(() => {
    holder.replaceChildren(
      renderTimeline(lanes, Math.max(340, holder.clientWidth || 1000), {
        onMarker: highlightEvent,
      }),
    );
  });
  return card;
}

function infoPanel(): HTMLElement {
  return h("aside", { class: "graph-info", "data-testid": "graph-info" }, h("p", { class: "muted" }, t("nb.hint")));
}

async function showCompany(panel: HTMLElement, uscc: string): Promise<void> {
  panel.replaceChildren(h("p", { class: "muted" }, t("common.loading")));
  try {
    const c = await getJson<Company>(`/v1/companies/${encodeURIComponent(uscc)}`);
    const licences = c.licences ?? [];
    panel.replaceChildren(
      h("h3", {}, c.name ?? c.uscc),
      kv([
        [t("company.uscc"), h("span", { class: "code" }, c.uscc)],
        [t("company.roles"), (c.roles ?? []).map((r) => vocab("company_roles", r)).join(", ") || "—"],
        [t("company.province"), c.province ? provinceName(c.province) : "—"],
      ]),
      h("h4", {}, t("company.licences")),
      licences.length
        ? table(
            [t("col.scope"), t("col.from"), t("col.to")],
            licences.map((l) => [vocab("licence_scopes", String(l["scope"] ?? "")), formatDate(String(l["valid_from"] ?? "")), l["valid_to"] ? formatDate(String(l["valid_to"])) : t("company.listed")]),
          )
        : h("p", { class: "muted" }, t("company.noLicence")),
    );
  } catch (err) {
    panel.replaceChildren(errorNotice(err));
  }
}

async function showStation(panel: HTMLElement, id: string, code: string): Promise<void> {
  panel.replaceChildren(h("p", { class: "muted" }, t("common.loading")));
  try {
    const [swaps, name] = await Promise.all([
      getJson<StationSwaps>(`/v1/stations/${encodeURIComponent(id)}/swaps`, { limit: 200 }),
      stationName(id),
    ]);
    const mine = swaps.items.filter((s) => s.battery_in === code || s.battery_out === code);
    panel.replaceChildren(
      h("h3", { "data-testid": "station-title" }, t("station.title", { name: name ?? id }), name ? h("span", { class: "muted code small" }, ` ${id}`) : null),
      h("p", { class: "muted" }, t("station.swaps", { n: swaps.items.length, plus: swaps.next_skip ? "+" : "", mine: mine.length })),
      table(
        [t("col.when"), t("col.vehicle"), t("col.out"), t("col.in")],
        swaps.items.slice(0, 12).map((s) => [formatDate(s.occurred_at), vehicleLink(s.vehicle), batteryLink(s.battery_out, s.battery_out.slice(-8)), batteryLink(s.battery_in, s.battery_in.slice(-8))]),
      ),
    );
  } catch (err) {
    panel.replaceChildren(errorNotice(err));
  }
}

async function expandVehicle(panel: HTMLElement, cy: cytoscape.Core, vin: string, current: string): Promise<void> {
  panel.replaceChildren(h("p", { class: "muted" }, t("common.loading")));
  try {
    const v = await getJson<VehicleBatteries>(`/v1/vehicles/${encodeURIComponent(vin)}/batteries`);
    const g = new GraphBuilder();
    const vehicle = g.node("vehicle", vin);
    for (const b of v.batteries) g.edge(g.node("battery", b.code), vehicle, "installed in");
    addToGraph(cy, g.build(), nodeId.vehicle(vin));
    cy.getElementById(nodeId.vehicle(vin)).addClass("expanded");
    panel.replaceChildren(
      h("h3", {}, t("vehicle.panelTitle"), vehicleLink(vin)),
      kv([
        [t("vehicle.sold"), formatDate(v.sold_at)],
        [t("vehicle.scrapped"), formatDate(v.scrapped_at)],
        [t("vehicle.exported"), v.exported_at ? t("vehicle.exportedTo", { date: formatDate(v.exported_at), destination: v.export_destination ?? "?" }) : "—"],
      ]),
      h("h4", {}, t("vehicle.carried", { n: v.batteries.length })),
      table(
        [t("col.battery"), t("col.from"), t("col.until")],
        v.batteries.map((b) => [b.code === current ? h("strong", {}, b.code) : batteryLink(b.code), formatDate(b.since), b.until ? formatDate(b.until) : t("common.now")]),
        { "data-testid": "vehicle-batteries-panel" },
      ),
    );
  } catch (err) {
    panel.replaceChildren(errorNotice(err));
  }
}

function graphCard(b: BatteryDetail, trace: Trace, components: Components | null): HTMLElement {
  const data = neighbourhood(b, trace.events, trace.segments, components?.components ?? []);
  const canvas = h("div", { class: "graph", "data-testid": "neighbourhood-graph" });
  const panel = infoPanel();
  const card = section(
    t("nb.title"),
    "neighbourhood",
    h(
      "p",
      { class: "muted" },
      h("span", { class: "dot battery" }), ` ${t("nb.battery")} `,
      h("span", { class: "dot vehicle" }), ` ${t("nb.vehicle")} `,
      h("span", { class: "dot station" }), ` ${t("nb.station")} `,
      h("span", { class: "dot company" }), ` ${t("nb.company")} · ${t("nb.note")}`,
    ),
    h("div", { class: "graph-row" }, canvas, panel),
  );
  requestAnimationFrame(() => {
    renderNeighbourhood(canvas, data, {
      onNode: (node: GNode, cy) => {
        switch (node.kind) {
          case "battery":
            if (!node.focus) location.hash = `#/battery/${encodeURIComponent(node.ref)}`;
            break;
          case "vehicle":
            void expandVehicle(panel, cy, node.ref, b.code);
            break;
          case "company":
            void showCompany(panel, node.ref);
            break;
          case "station":
            void showStation(panel, node.ref, b.code);
            break;
        }
      },
    });
  });
  return card;
}

function findingRow(f: Finding, titles: Map<string, string>): HTMLElement {
  return h(
    "li",
    { class: "finding", "data-rule": f.rule },
    h("div", {}, h("strong", {}, ruleTitle(f.rule, titles.get(f.rule))), h("span", { class: "muted" }, ` ${t("common.since", { date: formatDate(f.since) })}`)),
    h("div", { class: "missing" }, f.missing),
    h(
      "div",
      { class: "small" },
      t("leak.answerable"),
      f.company ? `${f.company_name ?? ""} (${f.company})` : "—",
      f.province ? ` · ${provinceName(f.province)}` : "",
      t("leak.evidence"),
      f.evidence.length
        ? f.evidence.flatMap((id, i) => [
            i ? ", " : "",
            h(
              "a",
              {
                href: "#",
                class: "code evidence",
                "data-event": id,
                onclick: ((e: Event) => {
                  e.preventDefault();
                  highlightEvent(id);
                }) as EventListener,
              },
              id,
            ),
          ])
        : "—",
    ),
  );
}

/**
 * The leakage card goes on the page at once and fills in when the rules have answered: a rule
 * runs over the whole graph, which can take far longer than the battery's own look-ups.
 */
function leakageCard(code: string): { card: HTMLElement; done: Promise<void> } {
  const body = h("div", { "data-testid": "leakage-flags", "data-state": "loading" }, h("p", { class: "muted" }, t("leak.asking")));
  const card = section(t("leak.title"), "leakage", body);
  const done = (async () => {
    try {
      if (!(await leakageAvailable())) {
        body.replaceChildren(notice("unavailable", t("leak.unavailable"), "leakage-unavailable"));
        return;
      }
      const rules = (await listRules()) ?? [];
      const titles = new Map(rules.map((r) => [r.id, r.title]));
      const { findings, failed } = await findingsForBattery(code, rules);
      const evidence = new Set(findings.flatMap((f) => f.evidence));
      // Mark the evidence on the event list, which is already on the page.
      for (const id of evidence) {
        document.getElementById(`ev-${id}`)?.classList.add("flagged");
        document.querySelectorAll(`svg.timeline .mk[data-event="${id}"]`).forEach((m) => m.classList.add("flagged"));
      }
      const checked = rules.filter((r) => r.level === "battery").length - failed.length;
      body.replaceChildren(
        findings.length
          ? h("ul", { class: "findings" }, findings.map((f) => findingRow(f, titles)))
          : notice("info", t("leak.none", { n: checked }), "no-flags"),
      );
      if (failed.length) {
        body.append(notice("error", t("leak.notChecked", { list: failed.map(([r, why]) => `${ruleTitle(r, titles.get(r))} (${why})`).join("; ") })));
      }
    } catch (err) {
      body.replaceChildren(errorNotice(err));
    } finally {
      body.dataset["state"] = "done";
    }
  })();
  return { card, done };
}

function healthCard(trace: Trace): HTMLElement {
  const readings = trace.health ?? [];
  return section(
    t("health.title"),
    "health",
    readings.length
      ? table(
          [t("col.when"), t("col.soh"), t("col.energy"), t("col.cycles"), t("col.method"), t("col.measuredBy")],
          readings.map((r) => [
            formatTime(r.at),
            r.soh_pct === null ? "—" : `${r.soh_pct} %`,
            r.capacity_kwh === null ? "—" : String(r.capacity_kwh),
            r.cycle_count === null ? "—" : String(r.cycle_count),
            r.method ? vocab("health_methods", r.method) : t("health.handOver"),
            namedCode("company", r.reporter),
          ]),
          { "data-testid": "health-readings" },
        )
      : h("p", { class: "muted" }, t("health.none")),
  );
}

function componentsCard(c: Components): HTMLElement {
  const modules = c.components.filter((x) => x.depth === 1);
  const cellsOf = (parent: string) => c.components.filter((x) => x.parent === parent && x.depth === 2);
  return section(
    t("comp.title"),
    "components",
    c.components.length
      ? h(
          "ul",
          { class: "tree" },
          modules.map((m) => {
            const cells = cellsOf(m.code);
            return h(
              "li",
              {},
              batteryLink(m.code),
              h("span", { class: "muted" }, ` ${term("level", m.level)} · ${term("status", m.status)}${cells.length ? ` · ${t("comp.cells", { n: cells.length })}` : ""}`),
              cells.length ? h("ul", {}, cells.map((x) => h("li", {}, batteryLink(x.code), h("span", { class: "muted" }, ` ${term("status", x.status)}`)))) : null,
            );
          }),
        )
      : h("p", { class: "muted" }, t("comp.none")),
  );
}

export async function renderBattery(root: HTMLElement, code: string): Promise<void> {
  root.replaceChildren(searchBox(code), h("p", { class: "muted", "data-testid": "loading" }, t("common.loading")));
  let detail: BatteryDetail;
  let trace: Trace;
  let components: Components | null;
  try {
    [detail, trace, components] = await Promise.all([
      getJson<BatteryDetail>(`/v1/batteries/${encodeURIComponent(code)}`),
      getJson<Trace>(`/v1/batteries/${encodeURIComponent(code)}/trace`),
      getOptional<Components>(`/v1/batteries/${encodeURIComponent(code)}/components`),
    ]);
  } catch (err) {
    root.replaceChildren(
      searchBox(code),
      err instanceof ApiError && err.status === 404
        ? notice("info", t("battery.notFound", { code }), "not-found")
        : errorNotice(err, "load-error"),
      ...(err instanceof ApiError && err.status === 401 ? [publicLead(code)] : []), // no key: the public answer
    );
    return;
  }
  const producer = detail.producer ? await getOptional<Company>(`/v1/companies/${detail.producer}`).catch(() => null) : null;
  const leakage = leakageCard(code);
  root.replaceChildren(
    searchBox(code),
    identityCard(detail, producer),
    leakage.card,
    timelineCard(trace),
    healthCard(trace),
    graphCard(detail, trace, components),
    components ? componentsCard(components) : notice("info", t("comp.unavailable")),
  );
  void fillNames(root); // companies and stations named in the events, once the registry answers
  document.title = `${code} · BatteryTrace`;
  // Not awaited: the flags fill in on their own (their card says when, in data-state).
  void leakage.done;
}
