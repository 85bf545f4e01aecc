// Regulator's page: where batteries leave the licensed chain, by rule, province and company,
// down to the batteries and the events that prove it.

import { batteryLink, errorNotice, formatDate, h, notice, section, words } from "../dom";
import { provinceName } from "../provinces";
import {
  type Finding,
  type FindingFilter,
  type FindingsPage,
  getSummary,
  leakageAvailable,
  listFindings,
  listRules,
  type Rule,
  type Summary,
  type SummaryRow,
} from "../leakage";

export interface RegulatorRoute {
  rule: string | null;
  filter: FindingFilter;
}

export function regulatorHash(route: RegulatorRoute): string {
  const q = new URLSearchParams();
  if (route.filter.province) q.set("province", route.filter.province);
  if (route.filter.company) q.set("company", route.filter.company);
  const qs = q.toString();
  return `#/regulator${route.rule ? `/${encodeURIComponent(route.rule)}` : ""}${qs ? `?${qs}` : ""}`;
}

function fmtRate(v: number | null): string {
  return v === null ? "—" : v.toFixed(v < 10 ? 2 : 1);
}

function summaryTable(
  title: string,
  rateOf: string,
  rows: SummaryRow[],
  testId: string,
  href: (row: SummaryRow) => string,
  active: string | null | undefined,
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
            h("tr", {}, h("th", {}, ""), h("th", { class: "num" }, "findings"), h("th", { class: "num", title: rateOf }, "per 1,000")),
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
                  h("a", { href: href(r) }, titles.get(r.label) ?? r.label),
                  r.sub ? h("div", { class: "muted small code" }, r.sub) : null,
                  r.byRule.length
                    ? h("div", { class: "muted small" }, r.byRule.slice(0, 3).map(([rule, n]) => `${n} ${titles.get(rule) ?? words(rule)}`).join(" · "))
                    : null,
                  h("div", { class: "bar", style: `width:${(100 * r.count) / max}%` }),
                ),
                h("td", { class: "num" }, r.count.toLocaleString("en")),
                h("td", { class: "num" }, fmtRate(r.perThousand)),
              ),
            ),
          ),
        )
      : h("p", { class: "muted" }, "no findings"),
  );
}

function rulesList(rules: Rule[], route: RegulatorRoute): HTMLElement {
  return h(
    "ul",
    { class: "rules", "data-testid": "rules" },
    rules.map((r) =>
      h(
        "li",
        { class: r.id === route.rule ? "active" : null, "data-rule": r.id },
        h("a", { href: regulatorHash({ ...route, rule: r.id }) }, h("strong", {}, r.title)),
        h("span", { class: "muted small" }, ` ${r.basis}${r.working_days ? " · working days" : ""}`),
        h("div", { class: "small" }, r.meaning),
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
      h("td", {}, f.battery ? batteryLink(f.battery) : h("span", { class: "muted" }, "(company)")),
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
    route.filter.province ? `province ${route.filter.province}` : "",
    route.filter.company ? `company ${route.filter.company}` : "",
  ].filter(Boolean);
  const card = section(
    `Findings: ${rule?.title ?? words(route.rule)}`,
    "findings-card",
    rule ? h("p", { class: "muted" }, rule.meaning, h("br"), `since = ${rule.since}; answerable = ${rule.company}`) : null,
    filters.length
      ? h("p", {}, "Filtered by ", filters.join(" and "), " · ", h("a", { href: regulatorHash({ rule: route.rule, filter: {} }) }, "clear"))
      : null,
    body,
  );
  const tbody = h("tbody", {});
  const table = h(
    "table",
    { class: "findings-table", "data-testid": "findings" },
    h("thead", {}, h("tr", {}, ["battery", "since", "answerable company", "province", "missing step", "evidence"].map((t) => h("th", {}, t)))),
    tbody,
  );
  const more = h("div", { class: "more" });
  let shown = 0;
  const load = async (skip: number): Promise<void> => {
    try {
      const page: FindingsPage = await listFindings(route.rule, route.filter, skip);
      shown += page.items.length;
      if (!shown) {
        body.replaceChildren(notice("info", "No findings for this rule with these filters.", "no-findings"));
        return;
      }
      if (!table.isConnected) body.replaceChildren(table, more);
      tbody.append(...findingRows(page.items));
      more.replaceChildren(
        h("span", { class: "muted" }, `${shown} shown `),
        page.next_skip !== null
          ? h("button", { type: "button", onclick: (() => void load(page.next_skip ?? 0)) as EventListener }, "More")
          : h("span", { class: "muted" }, "(all)"),
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
      `As of ${formatDate(summary.asOf)}, over ${summary.packs.toLocaleString("en")} packs. Click a rule for its findings, a province or company to narrow everything to it.`,
    ),
    h(
      "div",
      { class: "summary-grid" },
      summaryTable("By rule", "findings per 1,000 packs", summary.byRule, "summary-rule", (r) => regulatorHash({ ...route, rule: r.key }), route.rule, titles),
      summaryTable(
        "By province",
        "findings per 1,000 custodies in the province",
        summary.byProvince,
        "summary-province",
        (r) => regulatorHash({ ...route, filter: { ...route.filter, province: r.key } }),
        route.filter.province,
        titles,
      ),
      summaryTable(
        "By company",
        "findings per 1,000 custodies of the company",
        summary.byCompany,
        "summary-company",
        (r) => regulatorHash({ ...route, filter: { ...route.filter, company: r.key } }),
        route.filter.company,
        titles,
      ),
    ),
  ];
}

export async function renderRegulator(root: HTMLElement, route: RegulatorRoute): Promise<void> {
  const title = h("h1", {}, "Leakage from the licensed chain");
  root.replaceChildren(title, h("p", { class: "muted" }, "Loading…"));
  try {
    if (!(await leakageAvailable())) {
      root.replaceChildren(title, notice("unavailable", "The leakage API (/v1/leakage) is not available on this server yet.", "leakage-unavailable"));
      return;
    }
    // The summary runs every rule over the graph: start it first, show the rest without it.
    const summaryPromise = getSummary(route.filter);
    const rules = await listRules();
    const titles = new Map((rules ?? []).map((r) => [r.id, r.title]));
    const filters = [
      route.filter.province ? ["province", provinceName(route.filter.province)] : null,
      route.filter.company ? ["company", route.filter.company] : null,
    ].filter((f): f is string[] => f !== null);
    const summaryBody = h("div", { "data-state": "loading" }, h("p", { class: "muted" }, "Running every rule over the graph…"));
    const grid = h("div", { class: "regulator-grid" });
    grid.append(section("Rules", "rules-card", rules ? rulesList(rules, route) : notice("unavailable", "No rule list.")));
    root.replaceChildren(
      title,
      filters.length
        ? h(
            "p",
            { class: "filters", "data-testid": "filters" },
            "Only findings of ",
            filters.map(([k, v]) => h("span", { class: "pill" }, `${k} ${v}`)),
            " · ",
            h("a", { href: regulatorHash({ rule: route.rule, filter: {} }) }, "show all"),
          )
        : "",
      section("Summary", "summary", summaryBody),
      grid,
    );
    if (route.rule) grid.append(await findingsCard({ ...route, rule: route.rule }, rules?.find((r) => r.id === route.rule)));
    else grid.append(section("Findings", "findings-card", h("p", { class: "muted" }, "Choose a rule to list its findings.")));
    try {
      const summary = await summaryPromise;
      if (!summary) {
        summaryBody.replaceChildren(notice("unavailable", "The summary (/v1/leakage/summary) is not available.", "summary-unavailable"));
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
