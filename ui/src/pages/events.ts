// A battery's event table: every event with its reporter, counterparties by name (code on hover),
// note, recorded time, warnings and corrections; filtered by type, company and text as the reader
// types, and saved as CSV (the rows the filter shows).

import { batteryLink, formatTime, h, vehicleLink } from "../dom";
import { t, term } from "../i18n";
import { companyName, namedCode, stationName } from "../names";
import type { TimelineEntry, Trace } from "../types";
import { vocab } from "../vocab";
import { save, toCsv } from "./files";
import { w } from "./words";

const DETAIL_KEYS = ["vehicle", "destination", "station", "to", "from", "reason", "application", "new_code", "corrects", "battery_out", "battery_in"] as const;
const DAY_MS = 86_400_000;
/** Recorded this long after it occurred: said beside the time, the lag an investigator asks about. */
const LATE_DAYS = 7;

function text(v: unknown): string {
  return typeof v === "string" ? v : v === null || v === undefined ? "" : JSON.stringify(v);
}

/** The companies an event names: its reporter and its counterparties (to, from). */
export function companiesOf(e: TimelineEntry): string[] {
  const out = [e.reporter.uscc ?? "", text(e.details["to"]), text(e.details["from"])];
  return [...new Set(out.filter(Boolean))];
}

/** An event's facts in words: companies and stations by name (code on hover), reasons translated. */
function detailParts(e: TimelineEntry): Array<Node | string> {
  const parts: Array<Node | string> = [];
  for (const key of DETAIL_KEYS) {
    const v = e.details[key];
    if (typeof v !== "string" || !v) continue;
    let value: Node | string = v;
    if (key === "to" || key === "from") value = namedCode("company", v);
    else if (key === "station") value = namedCode("station", v);
    else if (key === "reason") value = vocab(e.type === "correction" ? "correction_reasons" : "removal_reasons", v);
    else if (key === "application") value = vocab("second_life_applications", v);
    else if (key === "vehicle") value = vehicleLink(v);
    else if (key === "battery_out" || key === "battery_in" || key === "new_code") value = batteryLink(v);
    parts.push(parts.length ? " · " : "", `${t(`d.${key}`)} `, value);
  }
  const note = text(e.details["note"]);
  if (note) parts.push(h("div", { class: "event-note", "data-testid": "event-note" }, `${w("ev.note")}: ${note}`));
  return parts;
}

function lateDays(e: TimelineEntry): number {
  return Math.floor((Date.parse(e.recorded_at) - Date.parse(e.occurred_at)) / DAY_MS);
}

function row(e: TimelineEntry): HTMLTableRowElement {
  const late = lateDays(e);
  return h(
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
      "data-companies": companiesOf(e).join(" "),
    },
    h("td", { title: e.occurred_at, "data-label": t("col.occurred") }, formatTime(e.occurred_at)),
    h(
      "td",
      { "data-label": t("col.event") },
      h("span", { class: `etype t-${e.type}`, title: e.type }, term("et", e.type)),
      e.role === "vehicle"
        ? h("span", { class: "badge vehicle-event", title: t("ev.vehicleBadgeTitle") }, t("ev.vehicleBadge"))
        : e.role !== "subject"
          ? h("span", { class: "muted" }, ` (${term("role", e.role)})`)
          : null,
    ),
    h(
      "td",
      { "data-label": t("col.reporter") },
      e.reporter.name ?? e.reporter.uscc ?? "—",
      e.reporter.uscc && e.reporter.name ? h("span", { class: "muted code small uscc-beside" }, ` ${e.reporter.uscc}`) : null,
    ),
    h(
      "td",
      { class: "small", "data-label": t("col.details") },
      ...detailParts(e),
      ...(e.warnings ?? []).map((warning) =>
        // The warning's name in the reader's language, the server's own sentence beneath it.
        h(
          "div",
          { class: "warning-note", "data-warning": warning.code, title: warning.message },
          `⚠ ${vocab("warnings", warning.code)}`,
          h("span", { class: "warning-text" }, ` — ${warning.message}`),
        ),
      ),
    ),
    h(
      "td",
      { class: "small", title: e.recorded_at, "data-label": w("ev.colRecorded") },
      h("span", { "data-testid": "recorded-at" }, formatTime(e.recorded_at)),
      late >= LATE_DAYS ? h("div", { class: "late-note" }, w("ev.late", { days: late })) : null,
    ),
    h(
      "td",
      { class: "small", "data-label": t("col.eventId") },
      h("span", { class: "code" }, e.event_id),
      e.type === "correction" && text(e.details["corrects"])
        ? h("div", { class: "muted" }, w("ev.correctionOf", { id: text(e.details["corrects"]) }))
        : null,
      e.corrected ? h("div", { class: "voided-note" }, t("ev.voidedBy", { ids: e.corrected_by.join(", ") })) : null,
      e.imported ? h("div", { class: "muted" }, t("ev.imported")) : null,
    ),
  );
}

/** What the text filter looks through: ids, codes, names, notes and warnings of the event. */
function haystack(e: TimelineEntry, tr: HTMLElement): string {
  const details = Object.values(e.details).map(text).join(" ");
  const warnings = (e.warnings ?? []).map((x) => `${x.code} ${x.message}`).join(" ");
  return `${e.event_id} ${e.type} ${details} ${warnings} ${e.reporter.uscc ?? ""} ${tr.textContent ?? ""}`.toLowerCase();
}

async function csvOf(events: TimelineEntry[]): Promise<string> {
  const name = async (uscc: string): Promise<string> => (uscc ? ((await companyName(uscc)) ?? "") : "");
  const rows = await Promise.all(
    events.map(async (e) => {
      const to = text(e.details["to"]);
      const from = text(e.details["from"]);
      const station = text(e.details["station"]);
      const other = Object.entries(e.details)
        .filter(([k]) => !["to", "from", "station", "note"].includes(k))
        .map(([k, v]) => `${k}=${text(v)}`)
        .join("; ");
      return [
        e.event_id,
        e.type,
        e.role,
        e.occurred_at,
        e.recorded_at,
        e.reporter.uscc ?? "",
        e.reporter.name ?? "",
        from,
        await name(from),
        to,
        await name(to),
        station,
        station ? ((await stationName(station)) ?? "") : "",
        text(e.details["note"]),
        other,
        (e.warnings ?? []).map((x) => `${x.code}: ${x.message}`).join(" | "),
        e.corrected ? "yes" : "no",
        e.corrected_by.join(" "),
        e.imported ? "yes" : "no",
      ];
    }),
  );
  const header = [
    "event_id", "type", "role", "occurred_at", "recorded_at", "reporter", "reporter_name", "from", "from_name",
    "to", "to_name", "station", "station_name", "note", "details", "warnings", "corrected", "corrected_by", "imported",
  ]; // prettier-ignore
  return toCsv(header, rows);
}

/** The filter bar, the table and the CSV button, for a battery's trace. */
export function eventFilter(trace: Trace): HTMLElement {
  const events = trace.events;
  const rows = events.map((e) => row(e));
  const types = [...new Set(events.map((e) => e.type))];
  const companies = new Map<string, string>();
  for (const e of events) {
    if (e.reporter.uscc) companies.set(e.reporter.uscc, e.reporter.name ?? e.reporter.uscc);
    for (const c of companiesOf(e)) if (!companies.has(c)) companies.set(c, c);
  }
  const type = h(
    "select",
    { name: "event-type", "data-testid": "event-type", "aria-label": w("ev.filterType") },
    h("option", { value: "" }, w("ev.allTypes")),
    types.map((x) => h("option", { value: x }, term("et", x))),
  );
  const companyOptions = [...companies].map(([uscc, label]) => h("option", { value: uscc, title: uscc }, label === uscc ? uscc : `${label} (${uscc})`));
  const company = h(
    "select",
    { name: "event-company", "data-testid": "event-company", "aria-label": w("ev.filterCompany") },
    h("option", { value: "" }, w("ev.allCompanies")),
    companyOptions,
  );
  // Counterparties arrive bare (a USCC): their names fill in when the registry answers.
  for (const option of companyOptions) {
    if (option.textContent !== option.value) continue;
    void companyName(option.value).then((n) => {
      if (n) option.textContent = `${n} (${option.value})`;
    });
  }
  const search = h("input", {
    type: "search",
    name: "event-text",
    "data-testid": "event-text",
    placeholder: w("ev.filterTextHint"),
    "aria-label": w("ev.filterText"),
  });
  const count = h("span", { class: "muted", "data-testid": "event-count" }, w("ev.shown", { n: events.length, total: events.length }));
  const shown = (): TimelineEntry[] => events.filter((_, i) => !rows[i]?.hidden);
  const apply = (): void => {
    const needle = search.value.trim().toLowerCase();
    events.forEach((e, i) => {
      const tr = rows[i];
      if (!tr) return;
      tr.hidden = !(
        (!type.value || e.type === type.value) &&
        (!company.value || companiesOf(e).includes(company.value)) &&
        (!needle || haystack(e, tr).includes(needle))
      );
    });
    count.textContent = w("ev.shown", { n: shown().length, total: events.length });
  };
  type.addEventListener("change", apply);
  company.addEventListener("change", apply);
  search.addEventListener("input", apply);
  const exportButton = h("button", { type: "button", "data-testid": "events-csv" }, w("ev.csv"));
  exportButton.addEventListener("click", () => {
    void csvOf(shown()).then((csv) => save(`${trace.code}-events.csv`, csv));
  });
  const table = h(
    "table",
    { class: "events stack", "data-testid": "events-table" },
    h("thead", {}, h("tr", {}, [t("col.occurred"), t("col.event"), t("col.reporter"), t("col.details"), w("ev.colRecorded"), t("col.eventId")].map((x) => h("th", {}, x)))),
    h("tbody", {}, rows),
  );
  return h(
    "div",
    { class: "event-block" },
    h(
      "div",
      { class: "event-filter", "data-testid": "event-filter" },
      h("label", {}, `${w("ev.filterType")} `, type),
      h("label", {}, `${w("ev.filterCompany")} `, company),
      h("label", {}, `${w("ev.filterText")} `, search),
      exportButton,
      count,
    ),
    table,
  );
}
