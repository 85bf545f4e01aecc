// CSV downloads for the regulator's tables: the API's own CSV where it has one (a rule's findings,
// the stored cases), fetched with the page's key; otherwise the table's rows written here. Either
// way the browser saves a file named after what it holds (rule, province, period, as_of).

import { ApiError, detailOf, getApiKey, type Query, withQuery } from "../api";
import { h } from "../dom";
import { w } from "./regulator_words";

export type Cell = string | number | null | undefined;

/** One CSV field: quoted when it holds a comma, quote or line break (RFC 4180). */
export function csvField(value: Cell): string {
  const s = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A whole CSV document; a byte-order mark first so spreadsheet programs read the Chinese. */
export function csvText(header: string[], rows: Cell[][]): string {
  return `\ufeff${[header, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n")}\r\n`;
}

/** A file name from its parts: the empty ones left out, anything unsafe turned into "-". */
export function fileName(parts: Array<string | null | undefined>, ext = "csv"): string {
  const stem = parts
    .filter((p): p is string => Boolean(p))
    .map((p) => p.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^-+|-+$/g, ""))
    .filter(Boolean)
    .join("-");
  return `${stem || "export"}.${ext}`;
}

function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function saveCsv(name: string, header: string[], rows: Cell[][]): void {
  save(new Blob([csvText(header, rows)], { type: "text/csv;charset=utf-8" }), name);
}

/** GET one of the API's CSV exports with the page's key and save it under `name`. */
export async function saveApiCsv(path: string, query: Query, name: string): Promise<void> {
  const url = withQuery(path, query);
  const headers: Record<string, string> = { Accept: "text/csv" };
  const key = getApiKey();
  if (key) headers["X-API-Key"] = key;
  const response = await fetch(url, { headers });
  if (!response.ok) {
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    throw new ApiError(response.status, url, detailOf(body) || response.statusText);
  }
  save(await response.blob(), name);
}

/** The export button of a table: runs `run`, says so while it does, and shows a failure beside it. */
export function exportButton(testId: string, run: () => Promise<void> | void): HTMLElement {
  const status = h("span", { class: "muted small", role: "status" });
  const button = h("button", { type: "button", class: "export", "data-testid": testId }, w("csv.button"));
  button.addEventListener("click", () => {
    button.disabled = true;
    status.textContent = w("csv.preparing");
    Promise.resolve()
      .then(run)
      .then(() => {
        status.textContent = "";
      })
      .catch((err: unknown) => {
        status.textContent = err instanceof ApiError ? err.explain() : String(err);
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  return h("span", { class: "export-box" }, button, status);
}
