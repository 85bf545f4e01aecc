// A rule's parameters in words ("window: 90 days before the scrapping", "time limit: 30 working
// days") instead of their JSON, from the catalogue's names, types and defaults. The filters every
// rule shares (as_of, province, company, the period) are the page's own controls, not listed here.

import { num } from "../i18n";
import type { Rule, RuleParam } from "../leakage";
import { vocab } from "../vocab";
import { w, type WordKey } from "./regulator_words";

/** Parameters every rule takes, set by the page's controls. */
export const COMMON = new Set(["as_of", "province", "company", "since_from", "since_until", "battery"]);

const WORKING_DAYS: Record<string, WordKey> = {
  limit_wd: "p.limit_wd",
  scrapping_limit_wd: "p.scrapping_limit_wd",
  binding_wd: "p.binding_wd",
  repair_wd: "p.repair_wd",
  dismantler_wd: "p.dismantler_wd",
  second_life_wd: "p.second_life_wd",
  recycler_wd: "p.recycler_wd",
  service_point_wd: "p.service_point_wd",
};

function percent(share: number): string {
  return `${num(share * 100, 2)} %`;
}

/** "Li ≤ 2 %, Co ≤ 0.1 %" for each chemistry class of the recovery ceilings. */
function ceilings(value: unknown): string {
  if (!value || typeof value !== "object") return "—";
  return Object.entries(value as Record<string, Record<string, number>>)
    .map(([klass, shares]) => {
      const name = klass === "lfp" ? w("p.lfp") : klass === "ternary" ? w("p.ternary") : w("p.unknownChem");
      const parts = Object.entries(shares).map(([el, s]) => `${el[0]?.toUpperCase() ?? ""}${el.slice(1)} ≤ ${percent(s)}`);
      return `${name}: ${parts.join(", ")}`;
    })
    .join("; ");
}

/** One parameter as a phrase, or null for the shared ones. */
export function paramWords(rule: Pick<Rule, "id">, p: RuleParam): string | null {
  if (COMMON.has(p.name)) return null;
  const v = p.default;
  const n = typeof v === "number" ? v : Number.NaN;
  const wd = WORKING_DAYS[p.name];
  if (wd) return w(wd, { n: num(n) });
  switch (p.name) {
    case "days":
      return rule.id === "pre_scrap_separation" ? w("p.daysBeforeScrap", { n: num(n) }) : w("p.daysPeriod", { n: num(n) });
    case "ceilings":
      return w("p.ceilings", { v: ceilings(v) });
    case "mass_tolerance":
      return w("p.mass_tolerance", { v: percent(n) });
    case "tolerance_share":
      return w("p.tolerance_share", { v: percent(n) });
    case "tolerance_kg":
      return w("p.tolerance_kg", { n: num(n) });
    case "banned":
      return w("p.banned", { v: Array.isArray(v) ? v.map((a) => vocab("second_life_applications", String(a))).join(w("p.listSep")) : "—" });
    case "service_life_years":
      return w("p.service_life_years", { n: num(n) });
    case "second_life_years":
      return w("p.second_life_years", { n: num(n) });
    case "since":
      return v ? w("p.since", { v: String(v) }) : w("p.sinceAny");
    case "by":
      return v === "company_month" ? w("p.byCompanyMonth") : w("p.byEvent");
    case "persistent_months":
      return w("p.persistent_months", { n: num(n) });
    default:
      return `${p.name.replaceAll("_", " ")}: ${typeof v === "object" ? JSON.stringify(v) : String(v ?? "—")}`;
  }
}

/** Every phrase of a rule's own parameters (none for rules with only the shared ones). */
export function ruleParamWords(rule: Rule): string[] {
  return rule.parameters.map((p) => paramWords(rule, p)).filter((s): s is string => s !== null);
}
