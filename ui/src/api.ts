// The one place that talks HTTP: same API, same key as every other client (issue 6).

import { t } from "./i18n";

const KEY_STORAGE = "batterytrace.apiKey";

export function getApiKey(): string {
  try {
    return localStorage.getItem(KEY_STORAGE) ?? "";
  } catch {
    return ""; // storage can be disabled; the UI still works without a key
  }
}

export function setApiKey(key: string): void {
  if (key) localStorage.setItem(KEY_STORAGE, key);
  else localStorage.removeItem(KEY_STORAGE);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${status} ${path}: ${detail}`);
  }

  /** Words a person can act on, for the statuses the API documents, in the language shown. */
  explain(): string {
    switch (this.status) {
      case 0:
        return t("err.noAnswer", { detail: this.detail });
      case 401:
        return t("err.needsKey");
      case 403:
        return t("err.role", { detail: this.detail });
      case 404:
        return this.detail || t("err.notFound");
      case 422:
        return t("err.rejected", { detail: this.detail });
      case 429:
        return t("err.tooMany", { detail: this.detail });
      case 503:
        return t("err.db");
      default:
        return `${this.status}: ${this.detail}`;
    }
  }
}

/** One problem of a 422's `errors` (ours: field and reason) or of a framework's `detail` list. */
function problemText(p: unknown): string {
  if (p && typeof p === "object") {
    const q = p as Record<string, unknown>;
    const where = Array.isArray(q["loc"]) ? q["loc"].join(".") : (q["field"] ?? "");
    const why = String(q["reason"] ?? q["msg"] ?? "");
    return where ? `${String(where)}: ${why}`.trim() : why;
  }
  return String(p);
}

/** The server's words: its `detail`, followed by each field and reason it names. */
export function detailOf(body: unknown): string {
  if (!body || typeof body !== "object") return "";
  const b = body as Record<string, unknown>;
  const d = b["detail"] ?? b["message"] ?? b["title"];
  const problems = Array.isArray(b["errors"]) ? b["errors"].map(problemText).filter(Boolean) : [];
  let head = "";
  if (typeof d === "string") head = d;
  else if (Array.isArray(d)) head = d.map(problemText).join("; ");
  else if (d !== undefined) head = JSON.stringify(d);
  if (!problems.length) return head;
  return head ? `${head} — ${problems.join("; ")}` : problems.join("; ");
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** GET a JSON document; throws ApiError with the server's own words on any non-2xx. */
export async function getJson<T>(path: string, query: Query = {}): Promise<T> {
  const url = withQuery(path, query);
  const headers: Record<string, string> = { Accept: "application/json" };
  const key = getApiKey();
  if (key) headers["X-API-Key"] = key;
  let response: Response;
  try {
    response = await fetch(url, { headers });
  } catch (err) {
    throw new ApiError(0, url, err instanceof Error ? err.message : String(err));
  }
  if (!response.ok) {
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    throw new ApiError(response.status, url, detailOf(body) || response.statusText);
  }
  return (await response.json()) as T;
}

/** Like getJson, but a 404 (endpoint or thing absent) is `null` rather than an error. */
export async function getOptional<T>(path: string, query: Query = {}): Promise<T | null> {
  try {
    return await getJson<T>(path, query);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

interface OpenApiDoc {
  paths?: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>;
}

// The server's own OpenAPI document tells which endpoints exist (the leakage and analytics APIs
// arrived separately) and which query parameters they take; asked once per page load.
let openapi: Promise<OpenApiDoc> | null = null;
function openapiDoc(): Promise<OpenApiDoc> {
  openapi ??= getJson<OpenApiDoc>("/openapi.json").catch(() => ({}));
  return openapi;
}

export async function serverPaths(): Promise<Set<string>> {
  return new Set(Object.keys((await openapiDoc()).paths ?? {}));
}

/** Names of the query parameters the GET of `path` accepts, per the server's OpenAPI. */
export async function queryParams(path: string): Promise<Set<string>> {
  const op = (await openapiDoc()).paths?.[path]?.["get"];
  return new Set((op?.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name));
}
