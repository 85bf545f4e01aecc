// Regulator's page: where batteries leave the licensed chain, by rule, province and company,
// down to the batteries and the events that prove it; a map of the provinces, a period and an
// as_of, every table exportable, and the queue of open cases. The state is in the hash.

import { errorNotice, formatDate, h, notice, section } from "../dom";
import { num, t } from "../i18n";
import { leakageAvailable, listRules, type Summary, type SummaryDoc, type SummaryRow, summaryOf } from "../leakage";
import { companyName } from "../names";
import { PROVINCES, provinceLabel, provinceName } from "../provinces";
import { ruleTitle } from "../rules_zh";
import { casesSection } from "./reg_cases";
import { type Cell, exportButton, fileName, saveCsv } from "./reg_export";
import { rulesList } from "./reg_rules";
import { leakageQuery, provinceFigures, type RegFilter, type RegulatorRoute, regulatorHash, summaryDoc } from "./reg_route";
import { w } from "./regulator_words";

export { type RegulatorRoute, regulatorHash, regulatorRoute } from "./reg_route";

function fmtRate(v: number | null): string {
  return v === null ? "—" : num(v, v < 10 ? 2 : 1);
}

interface TableSpec {
  title: string;
  /** The rate's denominator, said under the table. */
  rateOf: string;
  rows: SummaryRow[];
  testId: string;
  href: (row: SummaryRow) => string;
  active: string | null | undefined;
  label: (row: SummaryRow) => string;
  /** The file's name parts and the key column's header, for the export. */
  file: string;
  keyHeader: string;
}

function summaryTable(spec: TableSpec, titles: Map<string, string>, filter: RegFilter): HTMLElement {
  const { rows, testId } = spec;
  const shown = rows.filter((r) => r.count > 0 || testId === "summary-rule");
  const max = Math.max(1, ...shown.map((r) => r.count));
  const exporter = exportButton(`export-${testId}`, () =>
    saveCsv(
      fileName(["leakage-summary", spec.file, filter.province, filter.company, filter.from && `from-${filter.from}`, filter.to && `to-${filter.to}`, filter.asOf && `as-of-${filter.asOf}`]),
      [spec.keyHeader, "name", "findings", "per_1000", "denominator"],
      shown.map((r): Cell[] => [r.key, spec.label(r), r.count, r.perThousand, spec.rateOf]),
    ),
  );
  return h(
    "div",
    { class: "summary-block" },
    h("div", { class: "block-head" }, h("h3", {}, spec.title), shown.length ? exporter : null),
    shown.length
      ? h(
          "table",
          { class: "summary", "data-testid": testId },
          h(
            "thead",
            {},
            h("tr", {}, h("th", {}, ""), h("th", { class: "num" }, t("reg.colFindings")), h("th", { class: "num", title: spec.rateOf }, t("reg.colRate"))),
          ),
          h(
            "tbody",
            {},
            shown.slice(0, 25).map((r) =>
              h(
                "tr",
                { class: r.key === spec.active ? "active" : null, "data-key": r.key, "data-count": r.count },
                h(
                  "td",
                  {},
                  h("a", { href: spec.href(r) }, spec.label(r)),
                  r.sub ? h("div", { class: "muted small code" }, r.sub) : null,
                  r.byRule.length
                    ? h("div", { class: "muted small" }, r.byRule.slice(0, 3).map(([rule, n]) => `${num(n)} ${ruleTitle(rule, titles.get(rule))}`).join(" · "))
                    : null,
                  h("div", { class: "bar", style: `width:${(100 * r.count) / max}%` }),
                ),
                h("td", { class: "num" }, num(r.count)),
                h("td", { class: "num" }, fmtRate(r.perThousand)),
              ),
            ),
          ),
        )
      : h("p", { class: "muted" }, t("reg.noFindings")),
    h("p", { class: "muted small rate-of", "data-testid": `${testId}-rate` }, spec.rateOf),
  );
}

/** A company filter by name, with its USCC beside it (the code alone when the registry is silent). */
async function companyLabel(uscc: string): Promise<string> {
  const name = await companyName(uscc);
  return name ? `${name} (${uscc})` : uscc;
}

/** The day part of a filter's value for a date input. */
function day(v: string | undefined): string {
  return v ? v.slice(0, 10) : "";
}

/** The page's controls: a province by name, as_of, and the period the findings' problems began in. */
function controls(route: RegulatorRoute): HTMLElement {
  const select = h(
    "select",
    { name: "province", "data-testid": "province-picker", "aria-label": t("reg.province") },
    h("option", { value: "" }, t("reg.allProvinces")),
    PROVINCES.map((p) => h("option", { value: p.code, selected: p.code === route.filter.province }, `${provinceLabel(p.code)} (${p.code})`)),
  );
  select.addEventListener("change", () => {
    location.hash = regulatorHash({ ...route, filter: { ...route.filter, province: select.value || undefined } });
  });
  const dateInput = (name: string, value: string | undefined, testId: string): HTMLInputElement =>
    h("input", { type: "date", name, value: day(value), "data-testid": testId });
  const asOf = dateInput("as_of", route.filter.asOf, "as-of");
  const from = dateInput("from", route.filter.from, "period-from");
  const to = dateInput("to", route.filter.to, "period-to");
  const problem = h("span", { class: "notice-inline", role: "alert" });
  const form = h(
    "form",
    { class: "controls period", "data-testid": "period-form" },
    h("label", {}, `${t("reg.province")} `, select),
    h("label", { title: w("period.asOfHint") }, `${w("period.asOf")} `, asOf),
    h("label", {}, `${w("period.from")} `, from),
    h("label", {}, `${w("period.to")} `, to),
    h("button", { type: "submit", "data-testid": "period-apply" }, w("period.apply")),
    h("a", { href: regulatorHash({ rule: route.rule, filter: { province: route.filter.province, company: route.filter.company } }) }, w("period.clear")),
    problem,
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (from.value && to.value && to.value < from.value) {
      problem.textContent = w("period.reversed");
      return;
    }
    location.hash = regulatorHash({
      ...route,
      filter: { ...route.filter, asOf: asOf.value || undefined, from: from.value || undefined, to: to.value || undefined },
    });
  });
  return form;
}

/** "as of the end of 2026/12/04; findings whose problem began from … to …", said once. */
function periodWords(filter: RegFilter): string {
  const asOf = filter.asOf ? w("period.asOfDay", { date: formatDate(filter.asOf) }) : w("period.asOfNow");
  const from = filter.from ? formatDate(filter.from) : "";
  const to = filter.to ? formatDate(filter.to) : "";
  const range = from && to ? w("period.range", { from, to }) : from ? w("period.fromOnly", { from }) : to ? w("period.toOnly", { to }) : w("period.anyTime");
  return w("period.shown", { asOf, range });
}

function summarySection(route: RegulatorRoute, summary: Summary, titles: Map<string, string>): HTMLElement[] {
  const f = route.filter;
  return [
    h("p", { class: "muted", "data-testid": "summary-as-of", "data-as-of": summary.asOf }, t("reg.asOf", { date: formatDate(summary.asOf), packs: num(summary.packs) })),
    h(
      "div",
      { class: "summary-grid" },
      summaryTable(
        {
          title: t("reg.byRule"),
          rateOf: w("rate.rule", { packs: num(summary.packs) }),
          rows: summary.byRule,
          testId: "summary-rule",
          href: (r) => regulatorHash({ ...route, rule: r.key }),
          active: route.rule,
          label: (r) => ruleTitle(r.key, titles.get(r.key)),
          file: "by-rule",
          keyHeader: "rule",
        },
        titles,
        f,
      ),
      summaryTable(
        {
          title: t("reg.byProvince"),
          rateOf: w("rate.province"),
          rows: summary.byProvince,
          testId: "summary-province",
          href: (r) => regulatorHash({ ...route, filter: { ...f, province: r.key } }),
          active: f.province,
          label: (r) => (r.key ? provinceName(r.key) : t("common.unknown")),
          file: "by-province",
          keyHeader: "province",
        },
        titles,
        f,
      ),
      summaryTable(
        {
          title: t("reg.byCompany"),
          rateOf: w("rate.company"),
          rows: summary.byCompany,
          testId: "summary-company",
          href: (r) => regulatorHash({ ...route, filter: { ...f, company: r.key } }),
          active: f.company,
          label: (r) => r.label,
          file: "by-company",
          keyHeader: "company",
        },
        titles,
        f,
      ),
    ),
  ];
}

/** The map of provinces (every province under the other filters) and its reset. ECharts and the
 * outlines are a chunk of their own, loaded by this page only. */
async function mapSection(route: RegulatorRoute, doc: SummaryDoc | null): Promise<HTMLElement> {
  const { provinceMap } = await import("./map");
  const picked = route.filter.province;
  const reset = h(
    "a",
    { class: `button${picked ? "" : " current"}`, href: regulatorHash({ ...route, filter: { ...route.filter, province: undefined } }), "data-testid": "map-reset", "aria-current": picked ? null : "true" },
    w("map.all"),
  );
  return section(
    w("map.title"),
    "map-card",
    h(
      "div",
      { class: "map-layout" },
      doc
        ? provinceMap({
            figures: provinceFigures(doc),
            selected: picked,
            onPick: (code) => {
              location.hash = regulatorHash({ ...route, filter: { ...route.filter, province: code === picked ? undefined : code } });
            },
          })
        : notice("unavailable", t("reg.summaryUnavailable")),
      h(
        "div",
        { class: "map-info" },
        h("div", { class: "map-bar" }, reset, picked ? h("strong", { "data-testid": "map-selected" }, w("map.showing", { name: provinceName(picked) })) : null),
        h("p", { class: "muted small", "data-testid": "map-denominator" }, w("map.legend", { rate: w("map.rate") })),
        h("p", { class: "muted small" }, w("map.hint")),
      ),
    ),
  );
}

export async function renderRegulator(root: HTMLElement, route: RegulatorRoute): Promise<void> {
  const title = h("h1", {}, t("reg.title"));
  root.replaceChildren(title, h("p", { class: "muted" }, t("common.loading")));
  try {
    if (!(await leakageAvailable())) {
      root.replaceChildren(title, notice("unavailable", t("reg.unavailable"), "leakage-unavailable"));
      return;
    }
    // The summary runs every rule over the graph (or reads the stored findings): start it first.
    // The map shows every province under the other filters; the page, the province chosen.
    const docPromise = summaryDoc(leakageQuery(route.filter));
    const nationalPromise = route.filter.province ? summaryDoc(leakageQuery(route.filter, false)) : docPromise;
    const summaryPromise = docPromise.then((d) => (d ? summaryOf(d) : null));
    const rules = await listRules();
    const titles = new Map((rules ?? []).map((r) => [r.id, r.title]));
    const filters = [
      route.filter.province ? [t("reg.province"), provinceName(route.filter.province)] : null,
      route.filter.company ? [t("reg.company"), await companyLabel(route.filter.company)] : null,
    ].filter((f): f is string[] => f !== null);
    const summaryBody = h("div", { "data-state": "loading" }, h("p", { class: "muted" }, t("reg.running")));
    const mapSlot = h("div", { class: "map-slot" }, section(w("map.title"), "map-card", h("p", { class: "muted" }, t("reg.running"))));
    const rulesCard = section(t("reg.rules"), "rules-card", rules ? await rulesList(rules, route) : notice("unavailable", t("reg.noRules")));
    root.replaceChildren(
      title,
      controls(route),
      h("p", { class: "muted small", "data-testid": "period" }, periodWords(route.filter)),
      filters.length
        ? h(
            "p",
            { class: "filters", "data-testid": "filters" },
            t("reg.only"),
            filters.map(([k, v]) => h("span", { class: "pill" }, `${k} ${v}`)),
            " · ",
            h("a", { href: regulatorHash({ rule: route.rule, filter: {} }) }, t("reg.showAll")),
          )
        : "",
      mapSlot,
      section(t("reg.summary"), "summary", summaryBody),
      rulesCard,
      casesSection(route, titles),
    );
    try {
      mapSlot.replaceChildren(await mapSection(route, await nationalPromise));
    } catch (err) {
      mapSlot.replaceChildren(section(w("map.title"), "map-card", errorNotice(err)));
    }
    try {
      const summary = await summaryPromise;
      if (!summary) {
        summaryBody.replaceChildren(notice("unavailable", t("reg.summaryUnavailable"), "summary-unavailable"));
      } else {
        summaryBody.replaceChildren(...summarySection(route, summary, titles));
        for (const r of summary.byRule) {
          rulesCard.querySelector(`li[data-rule="${r.key}"] > a`)?.after(h("span", { class: "pill" }, String(r.count)));
        }
      }
    } catch (err) {
      summaryBody.replaceChildren(errorNotice(err));
    } finally {
      summaryBody.dataset["state"] = "done";
    }
    // Everything above is drawn: the findings of the rule clicked come into view where they are.
    rulesCard.querySelector<HTMLElement>("[data-testid=findings-card]")?.scrollIntoView({ block: "start" });
  } catch (err) {
    root.replaceChildren(title, errorNotice(err, "load-error"));
  }
}
