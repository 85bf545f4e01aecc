// A tiny element builder: the pages are small enough that a framework would be the bigger part.

import { ApiError } from "./api";
import { currentLang } from "./i18n";

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Array<Child | Child[]>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") el.addEventListener(name.replace(/^on/, ""), value);
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

const SVG_NS = "http://www.w3.org/2000/svg";

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  ...children: Array<SVGElement | string>
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  for (const child of children) el.append(child);
  return el;
}

/** Times are shown as they are read in China, whatever the viewer's own zone. */
export const ZONE = "Asia/Shanghai";

const formats = new Map<string, Intl.DateTimeFormat>();

function format(kind: "time" | "date"): Intl.DateTimeFormat {
  const lang = currentLang();
  const key = `${lang}:${kind}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang, {
      timeZone: ZONE,
      year: "numeric",
      // English months by name: 03/04 reads differently on either side of the Atlantic.
      month: lang === "en" ? "short" : "2-digit",
      day: "2-digit",
      ...(kind === "time" ? { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" as const } : {}),
    });
    formats.set(key, f);
  }
  return f;
}

/** An instant in the reader's format, in China Standard Time; unparseable text is shown as sent. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : format("time").format(d);
}

/** The day of an instant (or a bare YYYY-MM-DD) in China, in the reader's format. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  // A bare date is a day, not midnight UTC: read it at noon in China so no zone shifts it.
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T12:00:00+08:00` : iso);
  return Number.isNaN(d.getTime()) ? iso : format("date").format(d);
}

export function words(value: string | null | undefined): string {
  return value ? value.replaceAll("_", " ") : "—";
}

export function batteryLink(code: string, label?: string): HTMLAnchorElement {
  return h("a", { href: `#/battery/${encodeURIComponent(code)}`, class: "code", "data-battery": code }, label ?? code);
}

export function vehicleLink(vin: string): HTMLAnchorElement {
  return h("a", { href: `#/vehicle/${encodeURIComponent(vin)}`, class: "code", "data-vin": vin }, vin);
}

export function notice(kind: "error" | "info" | "unavailable", message: string, testId?: string): HTMLElement {
  return h("div", { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status", "data-testid": testId }, message);
}

export function errorNotice(err: unknown, testId?: string): HTMLElement {
  const message = err instanceof ApiError ? err.explain() : err instanceof Error ? err.message : String(err);
  return notice("error", message, testId);
}

export function section(title: string, testId: string, ...body: Array<Child | Child[]>): HTMLElement {
  return h("section", { class: "card", "data-testid": testId }, h("h2", {}, title), ...body);
}

export function kv(rows: Array<[string, Child | Child[]]>): HTMLElement {
  return h(
    "dl",
    { class: "kv" },
    rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, ...(Array.isArray(v) ? v : [v]))]),
  );
}

export function table(headers: string[], rows: Array<Array<Child | Child[]>>, attrs: Attrs = {}): HTMLTableElement {
  return h(
    "table",
    attrs,
    h("thead", {}, h("tr", {}, headers.map((t) => h("th", {}, t)))),
    h(
      "tbody",
      {},
      rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, ...(Array.isArray(c) ? c : [c]))))),
    ),
  );
}
