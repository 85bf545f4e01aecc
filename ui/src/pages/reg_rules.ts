// The rules and, under the rule clicked, its findings: compact one-line rows (battery, since,
// company, province, the missing step) whose evidence opens on a click, an export of every
// finding as the API's CSV, and paging by "More". The findings are scrolled into view.

import { batteryLink, errorNotice, formatDate, h, notice, words } from "../dom";
import { num, t } from "../i18n";
import { type Finding, type FindingsPage, listFindings, type Rule } from "../leakage";
import { provinceLabel, provinceName } from "../provinces";
import { ruleWords } from "../rules_zh";
import { exportButton, fileName, saveApiCsv } from "./reg_export";
import { ruleParamWords } from "./reg_params";
import { leakageQuery, type RegulatorRoute, regulatorHash } from "./reg_route";
import { w } from "./regulator_words";

/** "reg", "practice", "ours" or a blend of them ("reg+ours"), in words. */
function basis(b: string): string {
  const one = (part: string): string =>
    part === "reg" || part === "practice" || part === "ours" ? t(`basis.${part}`) : part;
  return b.split("+").map(one).join(" + ");
}

/** The finding's extra facts (recipient, vehicle, ...) as "name: value" lines. */
function detailsLines(details: Record<string, unknown>): string[] {
  return Object.entries(details)
    .filter(([, v]) => v !== null && v !== undefined && v !== "" && typeof v !== "object")
    .map(([k, v]) => `${words(k)}: ${String(v)}`);
}

function evidenceList(f: Finding): HTMLElement {
  return h(
    "ul",
    { class: "evidence-list" },
    f.evidence.map((id) =>
      h("li", {}, f.battery ? h("a", { class: "code", href: `#/battery/${encodeURIComponent(f.battery)}`, "data-event": id }, id) : h("span", { class: "code" }, id)),
    ),
  );
}

/** One finding as one line; a click on the row (or its button) opens the evidence under it. */
function findingRow(f: Finding, route: RegulatorRoute): HTMLTableRowElement {
  const more = h(
    "div",
    { class: "finding-more", "data-testid": "finding-evidence", hidden: true },
    h("div", {}, h("span", { class: "muted" }, `${w("find.missing")}: `), f.missing || "—"),
    detailsLines(f.details).map((line) => h("div", { class: "muted small" }, line)),
    f.evidence.length ? h("div", {}, h("span", { class: "muted" }, `${w("find.events")}: `), evidenceList(f)) : null,
  );
  const toggle = h(
    "button",
    { type: "button", class: "link", "aria-expanded": "false", "data-testid": "finding-toggle" },
    f.evidence.length ? w("find.evidence", { n: num(f.evidence.length) }) : w("find.noEvidence"),
  );
  const row = h(
    "tr",
    { class: "finding-row", "data-battery": f.battery ?? "" },
    h("td", { "data-label": t("col.battery") }, f.battery ? batteryLink(f.battery) : h("span", { class: "muted" }, t("reg.companyLevel"))),
    h("td", { "data-label": t("reg.colSince"), title: f.since }, formatDate(f.since)),
    h(
      "td",
      { "data-label": t("reg.colCompany"), title: f.company ?? "" },
      f.company
        ? h("a", { href: regulatorHash({ rule: f.rule, filter: { ...route.filter, company: f.company } }) }, f.company_name ?? f.company)
        : "—",
    ),
    h("td", { "data-label": t("reg.colProvince"), "data-province": f.province ?? "", title: f.province ?? "" }, f.province ? provinceLabel(f.province) : "—"),
    h("td", { class: "missing-cell", "data-label": t("reg.colMissing") }, h("div", { class: "one-line", title: f.missing }, f.missing || "—"), more),
    h("td", { class: "toggle-cell" }, toggle),
  );
  const flip = (): void => {
    const open = more.hidden;
    more.hidden = !open;
    row.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", String(open));
  };
  row.addEventListener("click", (e) => {
    // Links keep their own meaning; anywhere else on the row opens or closes the evidence.
    if ((e.target as HTMLElement).closest("a")) return;
    flip();
  });
  return row;
}

/** The findings of a rule under the page's filters, paged, with their export. */
async function inlineFindings(route: RegulatorRoute & { rule: string }, rule: Rule | undefined): Promise<HTMLElement> {
  const words_ = rule ? ruleWords(rule) : null;
  const body = h("div", {});
  const tbody = h("tbody", {});
  const table = h(
    "table",
    { class: "findings-table compact stack", "data-testid": "findings" },
    h(
      "thead",
      {},
      h("tr", {}, (["col.battery", "reg.colSince", "reg.colCompany", "reg.colProvince", "reg.colMissing"] as const).map((k) => h("th", {}, t(k))), h("th", {}, "")),
    ),
    tbody,
  );
  const query = leakageQuery(route.filter);
  const f = route.filter;
  const exporter = exportButton("export-findings", () =>
    saveApiCsv(`/v1/leakage/${encodeURIComponent(route.rule)}/export`, { ...query, format: "csv" }, fileName(["leakage", route.rule, f.province, f.company, f.from && `from-${f.from}`, f.to && `to-${f.to}`, f.asOf && `as-of-${f.asOf}`])),
  );
  const card = h(
    "div",
    { class: "inline-findings", "data-testid": "findings-card", id: "findings" },
    h(
      "div",
      { class: "inline-head" },
      h("h3", {}, t("reg.findingsOf", { title: words_?.title ?? words(route.rule) })),
      exporter,
      h("a", { class: "button", href: regulatorHash({ ...route, rule: null }) }, w("find.close")),
    ),
    words_ ? h("p", { class: "muted small" }, t("reg.sinceAnswerable", { since: words_.since, company: words_.company })) : null,
    route.filter.province ? h("p", { class: "small" }, t("reg.filteredBy"), `${t("reg.province")} ${provinceName(route.filter.province)}`) : null,
    body,
  );
  const more = h("div", { class: "more" });
  let shown = 0;
  const load = async (skip: number): Promise<void> => {
    try {
      const page: FindingsPage = await listFindings(route.rule, query, skip);
      shown += page.items.length;
      if (!shown) {
        body.replaceChildren(notice("info", t("reg.noMatch"), "no-findings"));
        return;
      }
      if (!table.isConnected) body.replaceChildren(table, more);
      tbody.append(...page.items.map((x) => findingRow(x, route)));
      more.replaceChildren(
        h("span", { class: "muted" }, t("reg.shown", { n: num(shown) })),
        page.next_skip !== null
          ? h("button", { type: "button", onclick: (() => void load(page.next_skip ?? 0)) as EventListener }, t("reg.more"))
          : h("span", { class: "muted" }, t("reg.all")),
      );
    } catch (err) {
      body.append(errorNotice(err));
    }
  };
  await load(0);
  return card;
}

/** The rules, each with its meaning and parameters in words; the active one opens its findings. */
export async function rulesList(rules: Rule[], route: RegulatorRoute): Promise<HTMLElement> {
  const list = h(
    "ul",
    { class: "rules", "data-testid": "rules" },
    rules.map((r) => {
      const active = r.id === route.rule;
      const params = ruleParamWords(r);
      return h(
        "li",
        { class: active ? "active" : null, "data-rule": r.id },
        h(
          "a",
          { href: regulatorHash({ ...route, rule: active ? null : r.id }), "aria-expanded": String(active), "aria-controls": active ? "findings" : null },
          h("strong", {}, ruleWords(r).title),
        ),
        h("span", { class: "muted small", title: r.basis }, ` ${basis(r.basis)}${r.working_days ? t("reg.workingDays") : ""}`),
        h("div", { class: "small" }, ruleWords(r).meaning),
        h(
          "ul",
          { class: "params small muted", "data-testid": "rule-params" },
          params.length ? params.map((p) => h("li", {}, p)) : h("li", {}, w("p.none")),
        ),
      );
    }),
  );
  if (route.rule) {
    const li = list.querySelector<HTMLElement>(`li[data-rule="${CSS.escape(route.rule)}"]`);
    const rule = rules.find((r) => r.id === route.rule);
    const findings = await inlineFindings({ ...route, rule: route.rule }, rule);
    if (li) li.append(findings);
    else list.before(findings);
  }
  return list;
}
