// Files the pages hand the reader: CSV built in the page (the event table as filtered) and files
// the API writes (network exports), fetched with the key and saved under the server's name.

import { ApiError, detailOf, getApiKey, type Query, withQuery } from "../api";

/** One CSV field: quoted when it holds a comma, quote or line break (RFC 4180). */
function field(value: unknown): string {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows as CSV text, CRLF line ends, a header first. */
export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(field).join(",")).join("\r\n") + "\r\n";
}

/** Offer a file to save; CSV gets a byte-order mark so spreadsheet programs read Chinese as UTF-8. */
export function save(name: string, body: Blob | string, type = "text/csv;charset=utf-8"): void {
  const blob = typeof body === "string" ? new Blob([type.startsWith("text/csv") ? "\ufeff" : "", body], { type }) : body;
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.style.display = "none";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** GET a file from the API with the key; its name from Content-Disposition, else `fallback`. */
export async function fetchFile(path: string, query: Query, fallback: string): Promise<{ name: string; blob: Blob }> {
  const url = withQuery(path, query);
  const key = getApiKey();
  let response: Response;
  try {
    response = await fetch(url, { headers: key ? { "X-API-Key": key } : {} });
  } catch (err) {
    throw new ApiError(0, url, err instanceof Error ? err.message : String(err));
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    throw new ApiError(response.status, url, detailOf(body) || response.statusText);
  }
  const disposition = response.headers.get("content-disposition") ?? "";
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallback;
  return { name, blob: await response.blob() };
}
