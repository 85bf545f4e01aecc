// Regulator's page: where batteries leave the licensed chain, by rule, province and company,
// down to the batteries and the events that prove it.

import { batteryLink, errorNotice, formatDate, h, notice, section, words } from "../dom";
import { num, t } from "../i18n";
import { companyName } from "../names";
import { PROVINCES, provinceLabel, provinceName } from "../provinces";
import { ruleTitle, ruleWords } from "../rules_zh";
import {
  type Finding,
  type FindingsPage,
  leakageAvailable,
  listFindings,
  listRules,
  type Rule,
  type Summary,
  type SummaryRow,
  summaryOf,
  type SummaryDoc,
} from "../leakage";
import { provinceMap } from "./map";
import { leakageQuery, provinceFigures, type RegulatorRoute, regulatorHash, summaryDoc } from "./reg_route";
import { w } from "./regulator_words";

export { type RegulatorRoute, regulatorHash, regulatorRoute } from "./reg_route";

function fmtRate(v: number | null): string {
  return v === null ? "—" : num(v, v < 10 ? 2 : 1);
}

function summaryTable(
  title: string,
  rateOf: string,
  rows: SummaryRow[],
  testId: string,
  href: (row: SummaryRow) => string,
  active: string | null | undefined,
  label: (row: SummaryRow) => string,
  titles: Map<string, string>,
): HTMLElement {
  const shown = rows.filter((r) => r.count > 0 || testId === "summary-rule");
  const max = Math.max(1, ...shown.map((r) => r.count));
  return h(
    "div",
    { class: "summary-block" },
    h("h3", {}, title),
    shown.length
      ? h(
          "table",
          { class: "summary", "data-testid": testId },
          h(
            "thead",
            {},
            h("tr", {}, h("th", {}, ""), h("th", { class: "num" }, t("reg.colFindings")), h("th", { class: "num", title: rateOf }, t("reg.colRate"))),
          ),
          h(
            "tbody",
            {},
            shown.slice(0, 25).map((r) =>
              h(
                "tr",
                { class: r.key === active ? "active" : null, "data-key": r.key, "data-count": r.count },
                h(
                  "td",
                  {},
                  h("a", { href: href(r) }, label(r)),
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
  );
}

/** "reg", "practice", "ours" or a blend of them ("reg+ours"), in words. */
function basis(b: string): string {
  const one = (part: string): string =>
    part === "reg" || part === "practice" || part === "ours" ? t(`basis.${part}`) : part;
  return b.split("+").map(one).join(" + ");
}

/** A company filter by name, with its USCC beside it (the code alone when the registry is silent). */
async function companyLabel(uscc: string): Promise<string> {
  const name = await companyName(uscc);
  return name ? `${name} (${uscc})` : uscc;
}

/** Narrow the page to a province by its name, instead of typing a GB/T 2260 code. */
function provincePicker(route: RegulatorRoute): HTMLElement {
  const select = h(
    "select",
    { name: "province", "data-testid": "province-picker", "aria-label": t("reg.province") },
    h("option", { value: "" }, t("reg.allProvinces")),
    PROVINCES.map((p) => h("option", { value: p.code, selected: p.code === route.filter.province }, `${provinceLabel(p.code)} (${p.code})`)),
  );
  select.addEventListener("change", () => {
    location.hash = regulatorHash({ ...route, filter: { ...route.filter, province: select.value || undefined } });
  });
  return h("form", { class: "controls", onsubmit: ((e: Event) => e.preventDefault()) as EventListener }, h("label", {}, `${t("reg.province")} `, select));
}

function rulesList(rules: Rule[], route: RegulatorRoute): HTMLElement {
  return h(
    "ul",
    { class: "rules", "data-testid": "rules" },
    rules.map((r) =>
      h(
        "li",
        { class: r.id === route.rule ? "active" : null, "data-rule": r.id },
        h("a", { href: regulatorHash({ ...route, rule: r.id }) }, h("strong", {}, ruleWords(r).title)),
        h("span", { class: "muted small", title: r.basis }, ` ${basis(r.basis)}${r.working_days ? t("reg.workingDays") : ""}`),
        h("div", { class: "small" }, ruleWords(r).meaning),
        r.parameters.length
          ? h(
              "div",
              { class: "small muted" },
              r.parameters.map((p) => `${p.name} = ${p.default === null ? "—" : JSON.stringify(p.default)}`).join(" · "),
            )
          : null,
      ),
    ),
  );
}

/** The finding's extra facts (recipient, vehicle, ...) as one muted line. */
function detailsLine(details: Record<string, unknown>): HTMLElement | null {
  const parts = Object.entries(details)
    .filter(([, v]) => v !== null && v !== undefined && v !== "" && typeof v !== "object")
    .map(([k, v]) => `${words(k)}: ${String(v)}`);
  return parts.length ? h("div", { class: "muted" }, parts.join(" · ")) : null;
}

function findingRows(items: Finding[]): HTMLElement[] {
  return items.map((f) =>
    h(
      "tr",
      { "data-battery": f.battery ?? "" },
      h("td", {}, f.battery ? batteryLink(f.battery) : h("span", { class: "muted" }, t("reg.companyLevel"))),
      h("td", {}, formatDate(f.since)),
      h(
        "td",
        {},
        f.company_name ? h("div", {}, f.company_name) : null,
        f.company ? h("a", { class: "code small", href: regulatorHash({ rule: f.rule, filter: { company: f.company } }) }, f.company) : "—",
      ),
      h("td", { "data-province": f.province ?? "" }, f.province ? provinceName(f.province) : "—"),
      h("td", { class: "small" }, f.missing || "—", detailsLine(f.details)),
      h("td", { class: "small code" }, f.evidence.join(", ") || "—"),
    ),
  );
}

async function findingsCard(route: RegulatorRoute & { rule: string }, rule: Rule | undefined): Promise<HTMLElement> {
  const body = h("div", {});
  const filters = [
    route.filter.province ? `${t("reg.province")} ${provinceName(route.filter.province)}` : "",
    route.filter.company ? `${t("reg.company")} ${route.filter.company}` : "",
  ].filter(Boolean);
  const words_ = rule ? ruleWords(rule) : null;
  const card = section(
    t("reg.findingsOf", { title: words_?.title ?? words(route.rule) }),
    "findings-card",
    words_ ? h("p", { class: "muted" }, words_.meaning, h("br"), t("reg.sinceAnswerable", { since: words_.since, company: words_.company })) : null,
    filters.length
      ? h("p", {}, t("reg.filteredBy"), filters.join(t("common.and")), " · ", h("a", { href: regulatorHash({ rule: route.rule, filter: {} }) }, t("reg.clear")))
      : null,
    body,
  );
  const tbody = h("tbody", {});
  const table = h(
    "table",
    { class: "findings-table", "data-testid": "findings" },
    h("thead", {}, h("tr", {}, (["col.battery", "reg.colSince", "reg.colCompany", "reg.colProvince", "reg.colMissing", "reg.colEvidence"] as const).map((k) => h("th", {}, t(k))))),
    tbody,
  );
  const more = h("div", { class: "more" });
  let shown = 0;
  const load = async (skip: number): Promise<void> => {
    try {
      const page: FindingsPage = await listFindings(route.rule, leakageQuery(route.filter), skip);
      shown += page.items.length;
      if (!shown) {
        body.replaceChildren(notice("info", t("reg.noMatch"), "no-findings"));
        return;
      }
      if (!table.isConnected) body.replaceChildren(table, more);
      tbody.append(...findingRows(page.items));
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

function summarySection(route: RegulatorRoute, summary: Summary, titles: Map<string, string>): HTMLElement[] {
  return [
    h(
      "p",
      { class: "muted" },
      t("reg.asOf", { date: formatDate(summary.asOf), packs: num(summary.packs) }),
    ),
    h(
      "div",
      { class: "summary-grid" },
      summaryTable(t("reg.byRule"), t("reg.rateRule"), summary.byRule, "summary-rule", (r) => regulatorHash({ ...route, rule: r.key }), route.rule, (r) => ruleTitle(r.key, titles.get(r.key)), titles),
      summaryTable(
        t("reg.byProvince"),
        t("reg.rateProvince"),
        summary.byProvince,
        "summary-province",
        (r) => regulatorHash({ ...route, filter: { ...route.filter, province: r.key } }),
        route.filter.province,
        (r) => (r.key ? provinceName(r.key) : t("common.unknown")),
        titles,
      ),
      summaryTable(
        t("reg.byCompany"),
        t("reg.rateCompany"),
        summary.byCompany,
        "summary-company",
        (r) => regulatorHash({ ...route, filter: { ...route.filter, company: r.key } }),
        route.filter.company,
        (r) => r.label,
        titles,
      ),
    ),
  ];
}

/** The map of provinces (national figures under the other filters) and its reset. */
function mapSection(route: RegulatorRoute, doc: SummaryDoc | null): HTMLElement {
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
    const pageQuery = leakageQuery(route.filter);
    const docPromise = summaryDoc(pageQuery);
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
    const grid = h("div", { class: "regulator-grid" });
    grid.append(section(t("reg.rules"), "rules-card", rules ? rulesList(rules, route) : notice("unavailable", t("reg.noRules"))));
    root.replaceChildren(
      title,
      provincePicker(route),
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
      grid,
    );
    if (route.rule) grid.append(await findingsCard({ ...route, rule: route.rule }, rules?.find((r) => r.id === route.rule)));
    else grid.append(section(t("reg.findings"), "findings-card", h("p", { class: "muted" }, t("reg.chooseRule"))));
    try {
      const national = await nationalPromise;
      mapSlot.replaceChildren(mapSection(route, national));
    } catch (err) {
      mapSlot.replaceChildren(section(w("map.title"), "map-card", errorNotice(err)));
    }
    try {
      const summary = await summaryPromise;
      if (!summary) {
        summaryBody.replaceChildren(notice("unavailable", t("reg.summaryUnavailable"), "summary-unavailable"));
        return;
      }
      summaryBody.replaceChildren(...summarySection(route, summary, titles));
      for (const r of summary.byRule) {
        grid.querySelector(`li[data-rule="${r.key}"] a`)?.after(h("span", { class: "pill" }, String(r.count)));
      }
    } catch (err) {
      summaryBody.replaceChildren(errorNotice(err));
    } finally {
      summaryBody.dataset["state"] = "done";
    }
  } catch (err) {
    root.replaceChildren(title, errorNotice(err, "load-error"));
  }
}
