// The regulator's case work on the stored findings (app/api/findings.py): a queue of the cases
// still to work (open, under review, answered by the company) under the page's filters, and for
// each case its history and a form to change its status (a dismissal needs its reason), assign it
// and add a note, shared with the company or not. Exported as the API's CSV.

import { ApiError, detailOf, getApiKey, getJson, type Query } from "../api";
import { batteryLink, errorNotice, formatDate, formatTime, h, notice, section } from "../dom";
import { num, t } from "../i18n";
import { provinceLabel } from "../provinces";
import { ruleTitle } from "../rules_zh";
import { exportButton, fileName, saveApiCsv } from "./reg_export";
import { dayEnd, dayStart, type RegulatorRoute } from "./reg_route";
import { isWord, w, type WordKey } from "./regulator_words";

export interface Case {
  id: string;
  rule: string;
  status: string;
  battery: string | null;
  company: string | null;
  company_name: string | null;
  province: string | null;
  since: string;
  missing: string;
  evidence: string[];
  assignee: string | null;
  first_seen: string;
  updated_at: string;
}

interface Change {
  seq: number;
  kind: string;
  at: string;
  by: string;
  role: string | null;
  status: string;
  previous: string | null;
  note: string | null;
  shared: boolean | null;
}

interface CasePage {
  items: Case[];
  swept_at: string | null;
  next_skip: number | null;
}

/** The queues a regulator picks from; "todo" is every case still waiting for someone. */
const QUEUES = {
  todo: ["open", "under_review", "company_answered"],
  open: ["open"],
  under_review: ["under_review"],
  company_answered: ["company_answered"],
  confirmed: ["confirmed"],
  dismissed: ["dismissed"],
  resolved: ["resolved"],
  all: [],
} as const;
type Queue = keyof typeof QUEUES;

/** What a regulator may set (the API's RegulatorStatus). */
const SETTABLE = ["open", "under_review", "confirmed", "dismissed"] as const;

function statusWord(status: string): string {
  const key = `case.s.${status}`;
  return isWord(key) ? w(key) : status.replaceAll("_", " ");
}

function kindWord(kind: string): string {
  const key = `case.k.${kind}`;
  return isWord(key) ? w(key) : kind;
}

/** The list's query: the queue's statuses, the page's rule, province, company and period. */
function casesQuery(route: RegulatorRoute): Query {
  const f = route.filter;
  return {
    rule: route.rule ?? undefined,
    province: f.province,
    company: f.company,
    since_from: f.from ? dayStart(f.from) : undefined,
    since_until: f.to ? dayEnd(f.to) : undefined,
  };
}

/** The query string with one `status=` per status (the API takes the parameter repeated). */
function withStatuses(path: string, query: Query, statuses: readonly string[]): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  for (const s of statuses) q.append("status", s);
  const qs = q.toString();
  return qs ? `${path}?${qs}` : path;
}

async function patchCase(id: string, body: Record<string, unknown>): Promise<Case> {
  const url = `/v1/findings/${encodeURIComponent(id)}`;
  const headers: Record<string, string> = { Accept: "application/json", "Content-Type": "application/json" };
  const key = getApiKey();
  if (key) headers["X-API-Key"] = key;
  let response: Response;
  try {
    response = await fetch(url, { method: "PATCH", headers, body: JSON.stringify(body) });
  } catch (err) {
    throw new ApiError(0, url, err instanceof Error ? err.message : String(err));
  }
  const answer: unknown = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, url, detailOf(answer) || response.statusText);
  return answer as Case;
}

function historyList(history: Change[]): HTMLElement {
  if (!history.length) return h("p", { class: "muted" }, w("case.noHistory"));
  return h(
    "ol",
    { class: "case-history", "data-testid": "case-history" },
    history.map((c) =>
      h(
        "li",
        { "data-kind": c.kind },
        h("span", { class: "muted small" }, formatTime(c.at)),
        " ",
        h("span", {}, kindWord(c.kind)),
        c.kind === "status" && c.previous ? ` ${statusWord(c.previous)} → ${statusWord(c.status)}` : c.kind === "assigned" ? ` ${c.note ?? w("case.nobody")}` : "",
        " ",
        h("span", { class: "muted small", title: c.by }, w("case.by", { who: c.role ?? c.by })),
        c.note && c.kind !== "assigned" ? h("div", { class: "case-note" }, c.note, c.shared ? h("span", { class: "muted small" }, ` (${w("case.sharedYes")})`) : null) : null,
      ),
    ),
  );
}

/** A case opened: its history and the regulator's form. `onSaved` redraws its row. */
async function caseDetail(c: Case, onSaved: (updated: Case) => void): Promise<HTMLElement> {
  const box = h("div", { class: "case-detail", "data-testid": "case-detail", "data-case": c.id });
  const history = h("div", {}, h("p", { class: "muted" }, t("common.loading")));
  const status = h(
    "select",
    { name: "status", "data-testid": "case-status" },
    SETTABLE.map((s) => h("option", { value: s, selected: s === c.status }, statusWord(s))),
  );
  if (c.status === "resolved" || c.status === "company_answered") status.prepend(h("option", { value: "", selected: true }, statusWord(c.status)));
  const assignee = h("input", { name: "assignee", value: c.assignee ?? "", maxlength: 200, "data-testid": "case-assignee" });
  const note = h("textarea", { name: "note", rows: 2, maxlength: 4000, "data-testid": "case-note" });
  const shared = h("input", { type: "checkbox", name: "shared", "data-testid": "case-shared" });
  const said = h("div", { role: "status", "data-testid": "case-said" });
  const form = h(
    "form",
    { class: "case-form" },
    h("label", {}, `${w("case.status")} `, status),
    h("label", {}, `${w("case.assignee")} `, assignee),
    h("label", { class: "wide" }, `${w("case.note")} `, note),
    h("label", {}, shared, ` ${w("case.shared")}`),
    h("button", { type: "submit", "data-testid": "case-save" }, w("case.save")),
    said,
  );
  const loadHistory = async (): Promise<void> => {
    try {
      const detail = await getJson<{ case: Case; history: Change[] }>(`/v1/findings/${encodeURIComponent(c.id)}`);
      history.replaceChildren(historyList(detail.history));
    } catch (err) {
      history.replaceChildren(errorNotice(err));
    }
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const body: Record<string, unknown> = {};
    if (status.value && status.value !== c.status) body["status"] = status.value;
    if (assignee.value.trim() !== (c.assignee ?? "")) body["assignee"] = assignee.value.trim();
    if (note.value.trim()) {
      body["note"] = note.value.trim();
      body["shared"] = shared.checked;
    }
    if (body["status"] === "dismissed" && !body["note"]) {
      said.replaceChildren(notice("error", w("case.dismissNeedsNote"), "case-error"));
      note.focus();
      return;
    }
    if (!Object.keys(body).length) {
      said.replaceChildren(notice("info", w("case.nothing")));
      return;
    }
    said.replaceChildren(h("span", { class: "muted" }, w("case.saving")));
    patchCase(c.id, body)
      .then(async (updated) => {
        c = updated;
        note.value = "";
        said.replaceChildren(notice("info", w("case.saved", { status: statusWord(updated.status) }), "case-saved"));
        onSaved(updated);
        await loadHistory();
      })
      .catch((err: unknown) => said.replaceChildren(errorNotice(err, "case-error")));
  });
  box.append(
    h("div", { class: "small" }, h("span", { class: "muted" }, `${t("reg.colMissing")}: `), c.missing || "—"),
    h("div", { class: "small muted code" }, `${w("case.id")}: ${c.id}`),
    form,
    h("h4", {}, w("case.history")),
    history,
  );
  await loadHistory();
  return box;
}

function caseCells(c: Case, titles: Map<string, string>): HTMLElement[] {
  return [
    h("td", { "data-label": w("case.rule") }, ruleTitle(c.rule, titles.get(c.rule))),
    h("td", { "data-label": t("col.battery") }, c.battery ? batteryLink(c.battery) : h("span", { class: "muted" }, t("reg.companyLevel"))),
    h("td", { "data-label": t("reg.colCompany"), title: c.company ?? "" }, c.company_name ?? c.company ?? "—"),
    h("td", { "data-label": t("reg.colProvince"), "data-province": c.province ?? "" }, c.province ? provinceLabel(c.province) : "—"),
    h("td", { "data-label": t("reg.colSince"), title: c.since }, formatDate(c.since)),
    h("td", { "data-label": w("case.status") }, h("span", { class: `case-status s-${c.status}`, "data-status": c.status }, statusWord(c.status))),
    h("td", { "data-label": w("case.assignee") }, c.assignee ?? "—"),
  ];
}

/** The queue section: a picker of queues, the cases a page at a time, each opening in place. */
export function casesSection(route: RegulatorRoute, titles: Map<string, string>, queue: Queue = "todo"): HTMLElement {
  const body = h("div", { "data-state": "loading" }, h("p", { class: "muted" }, t("common.loading")));
  const picker = h(
    "select",
    { name: "queue", "data-testid": "case-queue", "aria-label": w("case.queue") },
    (Object.keys(QUEUES) as Queue[]).map((q) => h("option", { value: q, selected: q === queue }, w(`case.q.${q}` as WordKey))),
  );
  const card = section(
    w("case.title"),
    "cases",
    h(
      "div",
      { class: "block-head" },
      h("label", {}, `${w("case.queue")} `, picker),
      exportButton("export-cases", () =>
        saveApiCsv(
          withStatuses("/v1/findings/export", casesQuery(route), QUEUES[queue]),
          {},
          fileName(["cases", queue, route.rule, route.filter.province, route.filter.company, route.filter.from && `from-${route.filter.from}`, route.filter.to && `to-${route.filter.to}`]),
        ),
      ),
    ),
    h("p", { class: "muted small" }, w("case.hint")),
    body,
  );
  picker.addEventListener("change", () => card.replaceWith(casesSection(route, titles, picker.value as Queue)));
  const tbody = h("tbody", {});
  const table = h(
    "table",
    { class: "cases-table compact stack", "data-testid": "case-list" },
    h("thead", {}, h("tr", {}, [w("case.rule"), t("col.battery"), t("reg.colCompany"), t("reg.colProvince"), t("reg.colSince"), w("case.status"), w("case.assignee")].map((x) => h("th", {}, x)))),
    tbody,
  );
  const more = h("div", { class: "more" });
  let shown = 0;
  const rowOf = (c: Case): HTMLTableRowElement => {
    const row = h("tr", { class: "case-row", "data-case": c.id, tabindex: 0, "aria-expanded": "false" }, caseCells(c, titles));
    let open: HTMLTableRowElement | null = null;
    const flip = async (): Promise<void> => {
      if (open) {
        open.remove();
        open = null;
        row.setAttribute("aria-expanded", "false");
        return;
      }
      const cell = h("td", { colspan: 7 }, h("p", { class: "muted" }, t("common.loading")));
      open = h("tr", { class: "case-open" }, cell);
      row.after(open);
      row.setAttribute("aria-expanded", "true");
      cell.replaceChildren(await caseDetail(c, (updated) => row.replaceChildren(...caseCells(updated, titles))));
    };
    row.addEventListener("click", (e) => {
      if ((e.target as HTMLElement).closest("a")) return;
      void flip();
    });
    row.addEventListener("keydown", (e) => {
      if (e.key === "Enter") void flip();
    });
    return row;
  };
  const load = async (skip: number): Promise<void> => {
    try {
      const page = await getJson<CasePage>(withStatuses("/v1/findings", { ...casesQuery(route), skip, limit: 25 }, QUEUES[queue]));
      shown += page.items.length;
      if (!shown) {
        body.replaceChildren(notice("info", w("case.none"), "no-cases"));
        return;
      }
      if (!table.isConnected) body.replaceChildren(table, more);
      tbody.append(...page.items.map(rowOf));
      more.replaceChildren(
        h("span", { class: "muted" }, t("reg.shown", { n: num(shown) })),
        page.swept_at ? h("span", { class: "muted small" }, w("case.swept", { at: formatTime(page.swept_at) })) : "",
        page.next_skip !== null
          ? h("button", { type: "button", onclick: (() => void load(page.next_skip ?? 0)) as EventListener }, t("reg.more"))
          : h("span", { class: "muted" }, t("reg.all")),
      );
    } catch (err) {
      body.replaceChildren(errorNotice(err, "cases-error"));
    } finally {
      body.dataset["state"] = "done";
    }
  };
  void load(0);
  return card;
}
