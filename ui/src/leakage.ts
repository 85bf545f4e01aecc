// Client of the leakage API (issue 3, app/api/leakage.py): the rule catalogue, pages of findings
// with their evidence, and the summary by rule, province and company.

import { getJson, getOptional, type Query, serverPaths } from "./api";
import { t } from "./i18n";
import { provinceName } from "./provinces";

export interface RuleParam {
  name: string;
  type: string;
  default: unknown;
  description: string;
}

export interface Rule {
  id: string;
  title: string;
  meaning: string;
  basis: string;
  /** "company": findings name a company, not a battery (e.g. persistent late reporting). */
  level: "battery" | "company";
  since: string;
  company: string;
  working_days: boolean;
  parameters: RuleParam[];
}

export interface Finding {
  rule: string;
  battery: string | null;
  since: string;
  company: string | null;
  company_name: string | null;
  province: string | null;
  evidence: string[];
  missing: string;
  details: Record<string, unknown>;
}

export interface FindingsPage {
  rule: string;
  items: Finding[];
  skip: number;
  limit: number;
  next_skip: number | null;
}

interface RuleCount {
  rule: string;
  count: number;
  per_thousand: number | null;
}

export interface ProvinceCount {
  province: string | null;
  rule: string;
  count: number;
  handled: number;
  per_thousand: number | null;
  /** Packs with an event in the province (servers before the map's denominators: absent). */
  packs?: number;
}

interface CompanyCount extends ProvinceCount {
  company: string | null;
  name: string | null;
}

export interface SummaryDoc {
  as_of: string;
  packs: number;
  batteries: number;
  by_rule: RuleCount[];
  by_province: ProvinceCount[];
  by_company: CompanyCount[];
  /** Every province's denominators, with findings or not. */
  provinces?: Array<{ province: string; packs: number; handled: number }>;
}

/** One row of a summary table: a rule, a province or a company, over all rules. */
export interface SummaryRow {
  key: string;
  label: string;
  sub: string;
  count: number;
  perThousand: number | null;
  /** findings per rule, largest first */
  byRule: Array<[string, number]>;
}

export interface Summary {
  asOf: string;
  packs: number;
  byRule: SummaryRow[];
  byProvince: SummaryRow[];
  byCompany: SummaryRow[];
}

export interface FindingFilter {
  province?: string | undefined;
  company?: string | undefined;
}

export async function leakageAvailable(): Promise<boolean> {
  return (await serverPaths()).has("/v1/leakage/rules");
}

export async function listRules(): Promise<Rule[] | null> {
  const doc = await getOptional<{ rules: Rule[] }>("/v1/leakage/rules");
  return doc?.rules ?? null;
}

/**
 * Province and company rows come per (key, rule); the page shows one row per key. Rates add up
 * across rules because a key's denominator (its custodies) is the same for every rule.
 */
export function aggregate<T extends ProvinceCount>(
  rows: T[],
  keyOf: (r: T) => string | null,
  labelOf: (r: T) => string,
  subOf: (r: T) => string,
): SummaryRow[] {
  const out = new Map<string, SummaryRow>();
  for (const r of rows) {
    const key = keyOf(r) ?? "";
    let row = out.get(key);
    if (!row) {
      row = { key, label: labelOf(r), sub: subOf(r), count: 0, perThousand: null, byRule: [] };
      out.set(key, row);
    }
    row.count += r.count;
    if (r.per_thousand !== null) row.perThousand = (row.perThousand ?? 0) + r.per_thousand;
    row.byRule.push([r.rule, r.count]);
  }
  for (const row of out.values()) row.byRule.sort((a, b) => b[1] - a[1]);
  return [...out.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

export async function getSummary(filter: FindingFilter = {}): Promise<Summary | null> {
  const doc = await getOptional<SummaryDoc>("/v1/leakage/summary", { ...filter });
  return doc ? summaryOf(doc) : null;
}

/** The summary document as the page shows it: one row per rule, province and company. */
export function summaryOf(doc: SummaryDoc): Summary {
  return {
    asOf: doc.as_of,
    packs: doc.packs,
    byRule: doc.by_rule
      .map((r) => ({ key: r.rule, label: r.rule, sub: "", count: r.count, perThousand: r.per_thousand, byRule: [] }))
      .sort((a, b) => b.count - a.count),
    byProvince: aggregate(doc.by_province, (r) => r.province, (r) => provinceName(r.province), () => ""),
    byCompany: aggregate(
      doc.by_company,
      (r) => r.company,
      (r) => r.name ?? r.company ?? t("common.unknown"),
      (r) => [r.company, r.province ? provinceName(r.province) : ""].filter(Boolean).join(" · "),
    ),
  };
}

export async function listFindings(
  rule: string,
  filter: Query = {},
  skip = 0,
  limit = 50,
): Promise<FindingsPage> {
  const query: Query = { ...filter, skip, limit };
  return getJson<FindingsPage>(`/v1/leakage/${encodeURIComponent(rule)}`, query);
}

export interface BatteryFindings {
  findings: Finding[];
  /** Rules that could not be asked (their error), so the page does not claim a clean record. */
  failed: Array<[string, string]>;
}

// A rule's full export, kept for a short while: an investigator clicking from battery to battery
// then pays for each rule's pass over the graph once, not on every page.
const EXPORT_TTL_MS = 120_000;
const exports = new Map<string, { at: number; findings: Promise<Finding[]> }>();

function ruleExport(rule: string): Promise<Finding[]> {
  const hit = exports.get(rule);
  if (hit && Date.now() - hit.at < EXPORT_TTL_MS) return hit.findings;
  const findings = getJson<Finding[]>(`/v1/leakage/${encodeURIComponent(rule)}/export`, { format: "json" });
  findings.catch(() => exports.delete(rule)); // never keep a failure
  exports.set(rule, { at: Date.now(), findings });
  return findings;
}

/** Forget cached exports (a new API key may see different findings). */
export function forgetLeakageCache(): void {
  exports.clear();
}

/**
 * Findings naming one battery. A rule that declares a `battery` parameter is asked for just that
 * battery; any other is read once through its export (one pass over the rule, where paging would
 * re-run the rule for every page) and filtered here.
 */
export async function findingsForBattery(code: string, rules: Rule[]): Promise<BatteryFindings> {
  const failed: Array<[string, string]> = [];
  const perRule = await Promise.all(
    rules
      .filter((r) => r.level === "battery")
      .map(async (r) => {
        try {
          if (r.parameters.some((p) => p.name === "battery")) {
            return (await getJson<FindingsPage>(`/v1/leakage/${r.id}`, { battery: code, limit: 1000 })).items;
          }
          return (await ruleExport(r.id)).filter((f) => f.battery === code);
        } catch (err) {
          failed.push([r.id, err instanceof Error ? err.message : String(err)]);
          return [];
        }
      }),
  );
  return { findings: perRule.flat(), failed };
}
