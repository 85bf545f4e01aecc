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
  words,
} from "../dom";
import { addToGraph, renderNeighbourhood } from "../graph";
import { buildSwimlanes } from "../lanes";
import { type Finding, findingsForBattery, leakageAvailable, listRules } from "../leakage";
import { GraphBuilder, type GNode, neighbourhood, nodeId } from "../neighbourhood";
import { provinceName } from "../provinces";
import { legend, renderTimeline } from "../timeline";
import type {
  BatteryDetail,
  Company,
  Components,
  StationSwaps,
  TimelineEntry,
  Trace,
  VehicleBatteries,
} from "../types";

const VIN_RE = /^[A-HJ-NPR-Z0-9]{17}$/;

/** A VIN is 17 characters without I, O or Q; anything else is tried as a battery code. */
export function routeFor(query: string): string {
  const q = query.trim().toUpperCase();
  if (!q) return "#/battery";
  return VIN_RE.test(q) ? `#/vehicle/${encodeURIComponent(q)}` : `#/battery/${encodeURIComponent(q)}`;
}

export function searchBox(initial = ""): HTMLElement {
  const input = h("input", {
    id: "search",
    type: "search",
    placeholder: "Battery code (GB/T 34014) or VIN",
    value: initial,
    autocomplete: "off",
    spellcheck: "false",
    "aria-label": "battery code or VIN",
  });
  const form = h(
    "form",
    { class: "search", role: "search" },
    input,
    h("button", { type: "submit" }, "Trace"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    location.hash = routeFor(input.value);
  });
  return form;
}

export async function renderSearchHome(root: HTMLElement): Promise<void> {
  root.replaceChildren(
    h("h1", {}, "Trace a battery"),
    searchBox(),
    h("p", { class: "muted" }, "A 24-character battery code shows its journey; a 17-character VIN lists the packs the vehicle carried."),
  );
  // A few starting points from the graph, so a first look needs no code at hand.
  const examples = h("div", { class: "examples", "data-testid": "examples" });
  root.append(section("Examples", "examples-card", examples));
  try {
    const statuses = ["installed", "in_swap_pool", "recycled", "removed", "in_stock"];
    const pages = await Promise.all(
      statuses.map((status) =>
        getJson<{ items: Array<{ code: string; status: string | null }> }>("/v1/batteries", {
          status,
          level: "pack",
          limit: 2,
        }),
      ),
    );
    const items = pages.flatMap((p) => p.items);
    examples.append(
      items.length
        ? table(
            ["battery", "status"],
            items.map((b) => [batteryLink(b.code), words(b.status)]),
          )
        : notice("info", "No batteries in the graph yet (make demo loads a world)."),
    );
  } catch (err) {
    examples.append(errorNotice(err));
  }
}

function statusBadge(status: string | null): HTMLElement {
  return h("span", { class: `badge status-${status ?? "unknown"}`, "data-testid": "status" }, words(status));
}

function identityCard(b: BatteryDetail, producer: Company | null): HTMLElement {
  const id = b.identity;
  const custodian = b.current_custodian;
  const vehicle = b.current_vehicle;
  return section(
    "Identity and state",
    "identity",
    h("div", { class: "headline" }, h("span", { class: "code big", "data-testid": "battery-code" }, b.code), statusBadge(b.status)),
    h(
      "div",
      { class: "columns" },
      kv([
        ["maker code", h("span", { class: "code" }, id.maker_code)],
        ["level", words(id.level)],
        ["chemistry", `${id.chemistry ?? "—"}${id.chemistry_confirmed === false ? " (code letter only)" : ""}`],
        ["specification", h("span", { class: "code" }, id.spec_code ?? "—")],
        ["trace info", h("span", { class: "code" }, id.trace_info ?? "—")],
        ["production date", id.production_date ?? "—"],
        ["serial", h("span", { class: "code" }, id.serial ?? "—")],
        ["second-life code", id.second_life ? "yes" : "no"],
      ]),
      kv([
        ["status since", formatTime(b.status_since)],
        [
          "custodian",
          custodian
            ? [
                h("strong", { "data-testid": "custodian" }, custodian.name ?? custodian.uscc),
                h("span", { class: "muted" }, ` ${custodian.uscc} · ${(custodian.roles ?? []).map(words).join(", ")} · since ${formatDate(custodian.since)}`),
              ]
            : h("span", { class: "muted", "data-testid": "custodian" }, vehicle ? "— (installed in a vehicle)" : "—"),
        ],
        [
          "vehicle",
          vehicle
            ? [vehicleLink(vehicle.vin), h("span", { class: "muted" }, ` ${vehicle.model ?? ""} · since ${formatDate(vehicle.since)}`)]
            : "—",
        ],
        ["producer", producer?.name ? `${producer.name} (${b.producer ?? ""})` : (b.producer ?? "—")],
        ["mass / capacity", `${b.mass_kg ?? "—"} kg · ${b.capacity_kwh ?? "—"} kWh`],
        ["events", `${b.event_count} · last ${formatDate(b.last_event_at)}`],
        ["part of", b.parent ? batteryLink(b.parent) : "—"],
        ["derived from", b.derived_from ? batteryLink(b.derived_from) : "—"],
        ["second-life products", b.second_life_products.length ? b.second_life_products.map((c) => batteryLink(c)) : "—"],
      ]),
    ),
  );
}

function detailText(e: TimelineEntry): string {
  const d = e.details;
  const parts: string[] = [];
  for (const key of ["vehicle", "destination", "station", "to", "from", "reason", "application", "new_code", "corrects", "battery_out", "battery_in"]) {
    const v = d[key];
    if (typeof v === "string" && v) parts.push(`${key.replace("_", " ")} ${v}`);
  }
  return parts.join(" · ");
}

function eventsTable(events: TimelineEntry[]): HTMLElement {
  const rows = events.map((e) =>
    h(
      "tr",
      {
        id: `ev-${e.event_id}`,
        class:
          [e.corrected ? "voided" : e.warnings?.length ? "warned" : "", e.role === "vehicle" ? "vehicle-event" : ""]
            .join(" ")
            .trim() || null,
        "data-event": e.event_id,
        "data-type": e.type,
        "data-role": e.role,
      },
      h("td", {}, formatTime(e.occurred_at)),
      h(
        "td",
        {},
        h("span", { class: `etype t-${e.type}` }, e.type),
        e.role === "vehicle"
          ? h("span", { class: "badge vehicle-event", title: "an event of the vehicle the battery was in" }, "vehicle")
          : e.role !== "subject"
            ? h("span", { class: "muted" }, ` (${e.role})`)
            : null,
      ),
      h("td", {}, e.reporter.name ?? e.reporter.uscc ?? "—"),
      h(
        "td",
        { class: "small" },
        detailText(e),
        ...(e.warnings ?? []).map((w) =>
          h("div", { class: "warning-note", "data-warning": w.code, title: w.code }, `⚠ ${w.message}`),
        ),
      ),
      h(
        "td",
        { class: "small" },
        h("span", { class: "code" }, e.event_id),
        e.corrected ? h("div", { class: "voided-note" }, `voided by ${e.corrected_by.join(", ")}`) : null,
        e.imported ? h("div", { class: "muted" }, "imported") : null,
      ),
    ),
  );
  return h(
    "table",
    { class: "events", "data-testid": "events-table" },
    h("thead", {}, h("tr", {}, ["occurred", "event", "reporter", "details", "event id"].map((t) => h("th", {}, t)))),
    h("tbody", {}, rows),
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
    "Journey",
    "journey",
    h(
      "p",
      { class: "muted" },
      `${trace.events.length} events in ${lanes.lanes.length} lanes · ${counts.swaps} swap events · ${counts.repairs} repairs · ${counts.voided} voided by corrections. Click a marker to see its event.`,
    ),
    legend(),
    holder,
    h(
      "details",
      { open: trace.events.length <= 40, class: "events-details" },
      h("summary", {}, `All ${trace.events.length} events`),
      eventsTable(trace.events),
    ),
  );
  // Draw once the card is in the page, so the SVG can take the real width.
  requestAnimationFrame(() => {
    holder.replaceChildren(
      renderTimeline(lanes, Math.max(720, holder.clientWidth || 1000), {
        onMarker: highlightEvent,
      }),
    );
  });
  return card;
}

function infoPanel(): HTMLElement {
  return h("aside", { class: "graph-info", "data-testid": "graph-info" }, h("p", { class: "muted" }, "Click a node: a vehicle lists its batteries, a battery opens its page, a company or station shows its record."));
}

async function showCompany(panel: HTMLElement, uscc: string): Promise<void> {
  panel.replaceChildren(h("p", { class: "muted" }, "Loading…"));
  try {
    const c = await getJson<Company>(`/v1/companies/${encodeURIComponent(uscc)}`);
    const licences = c.licences ?? [];
    panel.replaceChildren(
      h("h3", {}, c.name ?? c.uscc),
      kv([
        ["USCC", h("span", { class: "code" }, c.uscc)],
        ["roles", (c.roles ?? []).map(words).join(", ") || "—"],
        ["province", c.province ? provinceName(c.province) : "—"],
      ]),
      h("h4", {}, "White-list licences"),
      licences.length
        ? table(
            ["scope", "from", "to"],
            licences.map((l) => [words(String(l["scope"] ?? "")), formatDate(String(l["valid_from"] ?? "")), l["valid_to"] ? formatDate(String(l["valid_to"])) : "listed"]),
          )
        : h("p", { class: "muted" }, "none (not a formal recipient)"),
    );
  } catch (err) {
    panel.replaceChildren(errorNotice(err));
  }
}

async function showStation(panel: HTMLElement, id: string, code: string): Promise<void> {
  panel.replaceChildren(h("p", { class: "muted" }, "Loading…"));
  try {
    const swaps = await getJson<StationSwaps>(`/v1/stations/${encodeURIComponent(id)}/swaps`, { limit: 200 });
    const mine = swaps.items.filter((s) => s.battery_in === code || s.battery_out === code);
    panel.replaceChildren(
      h("h3", {}, `Station ${id}`),
      h("p", { class: "muted" }, `${swaps.items.length}${swaps.next_skip ? "+" : ""} swaps recorded; ${mine.length} of them with this battery.`),
      table(
        ["when", "vehicle", "out", "in"],
        swaps.items.slice(0, 12).map((s) => [formatDate(s.occurred_at), vehicleLink(s.vehicle), batteryLink(s.battery_out, s.battery_out.slice(-8)), batteryLink(s.battery_in, s.battery_in.slice(-8))]),
      ),
    );
  } catch (err) {
    panel.replaceChildren(errorNotice(err));
  }
}

async function expandVehicle(panel: HTMLElement, cy: cytoscape.Core, vin: string, current: string): Promise<void> {
  panel.replaceChildren(h("p", { class: "muted" }, "Loading…"));
  try {
    const v = await getJson<VehicleBatteries>(`/v1/vehicles/${encodeURIComponent(vin)}/batteries`);
    const g = new GraphBuilder();
    const vehicle = g.node("vehicle", vin);
    for (const b of v.batteries) g.edge(g.node("battery", b.code), vehicle, "installed in");
    addToGraph(cy, g.build(), nodeId.vehicle(vin));
    cy.getElementById(nodeId.vehicle(vin)).addClass("expanded");
    panel.replaceChildren(
      h("h3", {}, "Vehicle ", vehicleLink(vin)),
      kv([
        ["sold", formatDate(v.sold_at)],
        ["scrapped", formatDate(v.scrapped_at)],
        ["exported", v.exported_at ? `${formatDate(v.exported_at)} to ${v.export_destination ?? "?"}` : "—"],
      ]),
      h("h4", {}, `${v.batteries.length} batteries carried`),
      table(
        ["battery", "from", "until"],
        v.batteries.map((b) => [b.code === current ? h("strong", {}, b.code) : batteryLink(b.code), formatDate(b.since), b.until ? formatDate(b.until) : "now"]),
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
    "Neighbourhood",
    "neighbourhood",
    h(
      "p",
      { class: "muted" },
      h("span", { class: "dot battery" }), " battery ",
      h("span", { class: "dot vehicle" }), " vehicle ",
      h("span", { class: "dot station" }), " swap station ",
      h("span", { class: "dot company" }), " company · from the trace: where the battery stayed, and its uncorrected events",
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
    h("div", {}, h("strong", {}, titles.get(f.rule) ?? words(f.rule)), h("span", { class: "muted" }, ` since ${formatDate(f.since)}`)),
    h("div", { class: "missing" }, f.missing),
    h(
      "div",
      { class: "small" },
      "answerable: ",
      f.company ? `${f.company_name ?? ""} (${f.company})` : "—",
      f.province ? ` · ${provinceName(f.province)}` : "",
      " · evidence: ",
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
  const body = h("div", { "data-testid": "leakage-flags", "data-state": "loading" }, h("p", { class: "muted" }, "Asking the leakage rules about this battery…"));
  const card = section("Leakage flags", "leakage", body);
  const done = (async () => {
    try {
      if (!(await leakageAvailable())) {
        body.replaceChildren(notice("unavailable", "The leakage API is not available on this server yet.", "leakage-unavailable"));
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
          : notice("info", `No rule flags this battery (${checked} battery rules checked).`, "no-flags"),
      );
      if (failed.length) {
        body.append(notice("error", `Not checked: ${failed.map(([r, why]) => `${titles.get(r) ?? r} (${why})`).join("; ")}`));
      }
    } catch (err) {
      body.replaceChildren(errorNotice(err));
    } finally {
      body.dataset["state"] = "done";
    }
  })();
  return { card, done };
}

function componentsCard(c: Components): HTMLElement {
  const modules = c.components.filter((x) => x.depth === 1);
  const cellsOf = (parent: string) => c.components.filter((x) => x.parent === parent && x.depth === 2);
  return section(
    "Modules and cells",
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
              h("span", { class: "muted" }, ` ${words(m.level)} · ${words(m.status)}${cells.length ? ` · ${cells.length} cells` : ""}`),
              cells.length ? h("ul", {}, cells.map((x) => h("li", {}, batteryLink(x.code), h("span", { class: "muted" }, ` ${words(x.status)}`)))) : null,
            );
          }),
        )
      : h("p", { class: "muted" }, "No modules or cells were declared when this battery was produced."),
  );
}

export async function renderBattery(root: HTMLElement, code: string): Promise<void> {
  root.replaceChildren(searchBox(code), h("p", { class: "muted", "data-testid": "loading" }, "Loading…"));
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
        ? notice("info", `No event has named battery ${code}.`, "not-found")
        : errorNotice(err, "load-error"),
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
    graphCard(detail, trace, components),
    components ? componentsCard(components) : notice("info", "Components not available."),
  );
  document.title = `${code} · BatteryTrace`;
  // Not awaited: the flags fill in on their own (their card says when, in data-state).
  void leakage.done;
}

export async function renderVehicle(root: HTMLElement, vin: string): Promise<void> {
  root.replaceChildren(searchBox(vin), h("p", { class: "muted" }, "Loading…"));
  try {
    const v = await getJson<VehicleBatteries>(`/v1/vehicles/${encodeURIComponent(vin)}/batteries`);
    root.replaceChildren(
      searchBox(vin),
      section(
        `Vehicle ${vin}`,
        "vehicle",
        kv([
          ["registered", v.registered === null ? "—" : v.registered ? "yes" : "no"],
          ["sold", formatTime(v.sold_at)],
          ["scrapped", formatTime(v.scrapped_at)],
          ["exported", v.exported_at ? `${formatTime(v.exported_at)} to ${v.export_destination ?? "?"}` : "—"],
        ]),
        h("h3", {}, `${v.batteries.length} batteries carried`),
        v.batteries.length
          ? table(
              ["battery", "level", "installed", "until", "by events"],
              v.batteries.map((b) => [
                batteryLink(b.code),
                words(b.level),
                formatTime(b.since),
                b.until ? formatTime(b.until) : h("strong", {}, "installed now"),
                h("span", { class: "code small" }, `${b.since_event}${b.until_event ? ` → ${b.until_event}` : ""}`),
              ]),
              { "data-testid": "vehicle-batteries" },
            )
          : notice("info", "No battery was ever installed in this vehicle."),
      ),
    );
    document.title = `${vin} · BatteryTrace`;
  } catch (err) {
    root.replaceChildren(
      searchBox(vin),
      err instanceof ApiError && err.status === 404 ? notice("info", `Vehicle ${vin} is not known.`, "not-found") : errorNotice(err, "load-error"),
    );
  }
}
