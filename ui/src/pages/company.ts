// A reporting company's own desk (#/company, a reporter key): its batteries, its latest
// submissions with their receipts and warnings, the duties it still owes before their deadlines,
// and the findings that name it. An admin key looks at one company with #/company?company=USCC.

import { ApiError, getJson, type Query } from "../api";
import { batteryLink, errorNotice, formatDate, formatTime, h, notice, section, vehicleLink } from "../dom";
import { t, term } from "../i18n";
import { fillNames, namedCode } from "../names";
import { provinceName } from "../provinces";
import { ruleTitle } from "../rules_zh";
import type { Company, EventWarning } from "../types";
import { vocab } from "../vocab";
import { statusBadge } from "./battery";
import { w } from "./words";

interface Duty {
  rule: string;
  battery: string;
  since: string;
  event: string;
  deadline: string;
  workdays_left: number;
  due: string;
}

interface Submission {
  event_id: string;
  type: string;
  occurred_at: string;
  recorded_at: string;
  batteries: string[];
  vehicle: string | null;
  station: string | null;
  log_index: number | null;
  corrected: boolean;
  warnings: EventWarning[];
}

interface CompanyFinding {
  rule: string;
  battery: string | null;
  since: string;
  missing: string;
  evidence: string[];
  province: string | null;
}

interface Summary {
  code: string;
  level: string | null;
  status: string | null;
  status_since: string | null;
  current_vin: string | null;
  current_holder: string | null;
}

/** Two working days or fewer: said in red. */
const SOON = 2;

function cellTable(testId: string, headers: string[], rows: HTMLTableRowElement[]): HTMLTableElement {
  return h(
    "table",
    { class: "stack", "data-testid": testId },
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", {}, x)))),
    h("tbody", {}, rows),
  );
}

function td(label: string, ...children: Array<Node | string | null>): HTMLTableCellElement {
  return h("td", { "data-label": label }, ...children);
}

async function batteriesCard(admin: boolean): Promise<HTMLElement> {
  // An admin key's list is everyone's: the company's own list is what a reporter key reads.
  if (admin) return section(w("co.batteries"), "company-batteries", h("p", { class: "muted" }, w("co.batteriesHint")));
  const page = await getJson<{ items: Summary[]; next_after: string | null }>("/v1/batteries", { limit: 25 });
  const rows = page.items.map((b) =>
    h(
      "tr",
      { "data-code": b.code },
      td(t("col.battery"), batteryLink(b.code)),
      td(t("col.status"), statusBadge(b.status)),
      td(t("col.level"), term("level", b.level)),
      td(w("list.colHolder"), b.current_holder ? namedCode("company", b.current_holder) : "—"),
      td(w("list.colVehicle"), b.current_vin ? vehicleLink(b.current_vin) : "—"),
      td(w("list.colSince"), formatDate(b.status_since)),
    ),
  );
  return section(
    `${w("co.batteries")} (${page.items.length}${page.next_after ? "+" : ""})`,
    "company-batteries",
    h("p", { class: "muted small" }, w("co.batteriesHint")),
    rows.length
      ? cellTable("company-battery-list", [t("col.battery"), t("col.status"), t("col.level"), w("list.colHolder"), w("list.colVehicle"), w("list.colSince")], rows)
      : h("p", { class: "muted" }, w("co.noBatteries")),
  );
}

async function submissionsCard(query: Query): Promise<HTMLElement> {
  const answer = await getJson<{ items: Submission[] }>("/v1/companies/me/events", { ...query, limit: 20 });
  const rows = answer.items.map((s) =>
    h(
      "tr",
      { "data-event": s.event_id, class: s.corrected ? "voided" : s.warnings.length ? "warned" : null },
      td(w("co.colRecorded"), formatTime(s.recorded_at)),
      td(w("co.colOccurred"), formatTime(s.occurred_at)),
      td(w("co.colType"), h("strong", {}, term("et", s.type)), " ", h("span", { class: "code small muted" }, s.event_id)),
      td(
        w("co.colBattery"),
        ...s.batteries.flatMap((c, i) => [i ? " " : "", batteryLink(c)]),
        s.vehicle ? h("div", {}, vehicleLink(s.vehicle)) : null,
        s.station ? h("div", {}, namedCode("station", s.station)) : null,
      ),
      td(
        w("co.colWarnings"),
        ...s.warnings.map((x) => h("div", { class: "warning-note", "data-warning": x.code }, `⚠ ${vocab("warnings", x.code)}`, h("span", { class: "warning-text" }, ` — ${x.message}`))),
        s.corrected ? h("div", { class: "voided-note" }, t("ev.voidedBy", { ids: "…" })) : null,
      ),
      td(
        w("co.colReceipt"),
        s.log_index === null
          ? h("span", { class: "muted" }, w("co.receiptPending"))
          : h("span", { class: "code", "data-log-index": s.log_index, title: `/v1/log/proof/inclusion?event_id=${s.event_id}` }, w("co.logIndex", { i: s.log_index })),
      ),
    ),
  );
  return section(
    w("co.submissions"),
    "company-submissions",
    rows.length
      ? cellTable("submission-list", [w("co.colRecorded"), w("co.colOccurred"), w("co.colType"), w("co.colBattery"), w("co.colWarnings"), w("co.colReceipt")], rows)
      : h("p", { class: "muted" }, w("co.noSubmissions")),
  );
}

async function dutiesCard(duties: Duty[]): Promise<HTMLElement> {
  const rows = [...duties]
    .sort((a, b) => a.deadline.localeCompare(b.deadline))
    .map((d) =>
      h(
        "tr",
        { "data-rule": d.rule, "data-battery": d.battery },
        td(w("co.deadline"), h("strong", { class: d.workdays_left <= SOON ? "due-soon" : null }, formatDate(d.deadline)), h("div", { class: "small muted" }, w("co.workdaysLeft", { n: d.workdays_left }))),
        td(w("co.due"), d.due),
        td(w("co.colBattery"), batteryLink(d.battery)),
        td(w("co.colRule"), ruleTitle(d.rule, undefined)),
        td(w("co.colSince"), formatTime(d.since)),
      ),
    );
  return section(
    `${w("co.duties")} (${rows.length})`,
    "company-duties",
    rows.length
      ? cellTable("duty-list", [w("co.deadline"), w("co.due"), w("co.colBattery"), w("co.colRule"), w("co.colSince")], rows)
      : h("p", { class: "muted" }, w("co.noDuties")),
  );
}

async function findingsCard(query: Query): Promise<HTMLElement> {
  const page = await getJson<{ items: CompanyFinding[]; next_skip: number | null }>("/v1/companies/me/findings", { ...query, limit: 50 });
  const rows = page.items.map((f) =>
    h(
      "tr",
      { "data-rule": f.rule, "data-battery": f.battery ?? "" },
      td(w("co.colRule"), h("strong", {}, ruleTitle(f.rule, undefined))),
      td(w("co.colBattery"), f.battery ? batteryLink(f.battery) : "—"),
      td(w("co.colSince"), formatDate(f.since)),
      td(w("co.colMissing"), f.missing, f.province ? h("div", { class: "small muted" }, provinceName(f.province)) : null),
    ),
  );
  return section(
    `${w("co.findings")} (${page.items.length}${page.next_skip ? "+" : ""})`,
    "company-findings",
    rows.length
      ? cellTable("finding-list", [w("co.colRule"), w("co.colBattery"), w("co.colSince"), w("co.colMissing")], rows)
      : h("p", { class: "muted" }, w("co.noFindings")),
  );
}

/** A card that fails alone: its error in its place, the other cards still shown. */
async function guarded(testId: string, title: string, card: Promise<HTMLElement>): Promise<HTMLElement> {
  try {
    return await card;
  } catch (err) {
    return section(title, testId, errorNotice(err));
  }
}

export async function renderCompany(root: HTMLElement, company: string | null): Promise<void> {
  const title = h("h1", {}, w("co.title"));
  root.replaceChildren(title, h("p", { class: "muted" }, t("common.loading")));
  const query: Query = company ? { company } : {};
  let duties: { company: string; items: Duty[] };
  try {
    duties = await getJson<{ company: string; items: Duty[] }>("/v1/companies/me/duties", query);
  } catch (err) {
    const refused = err instanceof ApiError && (err.status === 403 || err.status === 422);
    root.replaceChildren(title, ...(refused ? [notice("info", w("co.needsReporter"), "needs-reporter")] : []), errorNotice(err, "load-error"));
    return;
  }
  const uscc = duties.company;
  const record = await getJson<Company>(`/v1/companies/${encodeURIComponent(uscc)}`).catch(() => null);
  const cards = await Promise.all([
    guarded("company-submissions", w("co.submissions"), submissionsCard(query)),
    dutiesCard(duties.items),
    guarded("company-findings", w("co.findings"), findingsCard(query)),
    guarded("company-batteries", w("co.batteries"), batteriesCard(Boolean(company))),
  ]);
  root.replaceChildren(
    h("h1", { "data-testid": "company-name" }, record?.name ?? uscc),
    h(
      "p",
      { class: "muted", "data-testid": "company-record" },
      h("span", { class: "code" }, uscc),
      ` · ${(record?.roles ?? []).map((r) => vocab("company_roles", r)).join(", ")} · ${provinceName(record?.province)}`,
    ),
    ...cards,
  );
  void fillNames(root);
  document.title = `${record?.name ?? uscc} · BatteryTrace`;
}
