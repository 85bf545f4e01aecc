// The regulator's page state lives in the hash (#/regulator[/rule]?province=&company=&as_of=&from=&to=),
// so every view can be linked and the back button works; this file reads and writes it, and asks
// the summary once per filter (a click on a rule then redraws the page without re-running rules).

import { getOptional, type Query } from "../api";
import type { SummaryDoc } from "../leakage";
import type { ProvinceFigure } from "./map";

export interface RegFilter {
  province?: string | undefined;
  company?: string | undefined;
  /** The day the rules judge at the end of (YYYY-MM-DD, China time); default now. */
  asOf?: string | undefined;
  /** Only findings whose `since` is on or after this day (YYYY-MM-DD, China time). */
  from?: string | undefined;
  /** ... and on or before this day. */
  to?: string | undefined;
}

export interface RegulatorRoute {
  rule: string | null;
  filter: RegFilter;
}

const FIELDS = [
  ["province", "province"],
  ["company", "company"],
  ["asOf", "as_of"],
  ["from", "from"],
  ["to", "to"],
] as const;

/** The route of a hash's rule segment and query string. */
export function regulatorRoute(rule: string | undefined, q: URLSearchParams): RegulatorRoute {
  const filter: RegFilter = {};
  for (const [field, name] of FIELDS) {
    const v = q.get(name);
    if (v) filter[field] = v;
  }
  return { rule: rule || null, filter };
}

export function regulatorHash(route: RegulatorRoute): string {
  const q = new URLSearchParams();
  for (const [field, name] of FIELDS) {
    const v = route.filter[field];
    if (v) q.set(name, v);
  }
  const qs = q.toString();
  return `#/regulator${route.rule ? `/${encodeURIComponent(route.rule)}` : ""}${qs ? `?${qs}` : ""}`;
}

/** A day in China as the start (or end) of that day, with its offset, as the API wants moments. */
export function dayStart(day: string): string {
  return `${day}T00:00:00+08:00`;
}

export function dayEnd(day: string): string {
  return `${day}T23:59:59.999+08:00`;
}

/** The leakage routes' query for a filter (`province` left out when `withProvince` is false). */
export function leakageQuery(filter: RegFilter, withProvince = true): Query {
  return {
    province: withProvince ? filter.province : undefined,
    company: filter.company,
    as_of: filter.asOf ? dayEnd(filter.asOf) : undefined,
    since_from: filter.from ? dayStart(filter.from) : undefined,
    since_until: filter.to ? dayEnd(filter.to) : undefined,
  };
}

const SUMMARY_TTL_MS = 60_000;
const summaries = new Map<string, { at: number; doc: Promise<SummaryDoc | null> }>();

/** The summary for a query, kept a minute: the page redraws on every click of a rule or province. */
export function summaryDoc(query: Query): Promise<SummaryDoc | null> {
  const key = JSON.stringify(Object.entries(query).filter(([, v]) => v !== undefined && v !== ""));
  const hit = summaries.get(key);
  if (hit && Date.now() - hit.at < SUMMARY_TTL_MS) return hit.doc;
  const doc = getOptional<SummaryDoc>("/v1/leakage/summary", query);
  doc.catch(() => summaries.delete(key));
  summaries.set(key, { at: Date.now(), doc });
  return doc;
}

/** Forget kept summaries (a case changed, or another key). */
export function forgetSummaries(): void {
  summaries.clear();
}

/** Each province's findings over every rule, with its denominator (packs with an event there) and rate. */
export function provinceFigures(doc: SummaryDoc): ProvinceFigure[] {
  const out = new Map<string, ProvinceFigure>();
  for (const d of doc.provinces ?? []) out.set(d.province, { code: d.province, count: 0, packs: d.packs, rate: null });
  for (const r of doc.by_province) {
    if (!r.province) continue;
    const fig = out.get(r.province) ?? { code: r.province, count: 0, packs: r.packs ?? 0, rate: null };
    fig.count += r.count;
    out.set(r.province, fig);
  }
  for (const fig of out.values()) fig.rate = fig.packs > 0 ? (fig.count * 1000) / fig.packs : null;
  return [...out.values()];
}
