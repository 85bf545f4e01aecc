// The investigator's way in: search by any part of a code, VIN, company or station
// (GET /v1/search, each kind as the key may read it), and the battery list filtered by status,
// maker, chemistry, level and province (GET /v1/batteries).

import { getJson } from "../api";
import { batteryLink, errorNotice, formatDate, h, notice, section, vehicleLink } from "../dom";
import { t, term } from "../i18n";
import { fillNames, namedCode } from "../names";
import { PROVINCES, provinceLabel, provinceName } from "../provinces";
import type { Company } from "../types";
import { vocab } from "../vocab";
import { searchBox, statusBadge } from "./battery";
import { type WordKey, w } from "./words";

type Kind = "battery" | "vehicle" | "company" | "station";

interface Hit {
  kind: Kind;
  id: string;
  name: string | null;
  match: "exact" | "prefix" | "name" | "contains";
  status?: string | null;
  level?: string | null;
  maker_code?: string | null;
  chemistry?: string | null;
  vehicle?: string | null;
  battery?: string | null;
  company?: string | null;
  company_name?: string | null;
  roles?: string[] | null;
  province?: string | null;
}

interface SearchResult {
  query: string;
  hits: Hit[];
  searched: Kind[];
  skipped: Array<{ kind: Kind; reason: string }>;
  more: Kind[];
}

const LIMIT = 20;
const KINDS: Kind[] = ["battery", "vehicle", "company", "station"];

function matchBadge(m: Hit["match"]): HTMLElement {
  return h("span", { class: `match match-${m}` }, w(`s.match.${m}` as WordKey));
}

/** The query's letters marked inside the identifier, so the reader sees why it matched. */
function marked(id: string, q: string): Array<Node | string> {
  const needle = q.replace(/[\s-]+/g, "").toUpperCase();
  const at = needle ? id.toUpperCase().indexOf(needle) : -1;
  if (at < 0) return [id];
  return [id.slice(0, at), h("mark", {}, id.slice(at, at + needle.length)), id.slice(at + needle.length)];
}

function hitRow(hit: Hit, q: string): HTMLElement {
  const cells: Array<Node | string | null> = [];
  switch (hit.kind) {
    case "battery":
      cells.push(
        h("a", { href: `#/battery/${encodeURIComponent(hit.id)}`, class: "code", "data-battery": hit.id }, ...marked(hit.id, q)),
        " ",
        statusBadge(hit.status ?? null),
        h("span", { class: "muted" }, ` ${term("level", hit.level)} · ${hit.chemistry ? vocab("chemistries", hit.chemistry) : "—"}`),
        hit.vehicle ? h("span", { class: "muted" }, " · ", vehicleLink(hit.vehicle)) : null,
      );
      break;
    case "vehicle":
      cells.push(
        h("a", { href: `#/vehicle/${encodeURIComponent(hit.id)}`, class: "code", "data-vin": hit.id }, ...marked(hit.id, q)),
        h("span", { class: "muted" }, ` ${hit.name ?? ""} · ${hit.company_name ?? hit.company ?? ""}`),
        hit.battery ? h("span", { class: "muted" }, ` · ${w("s.carries", { code: "" })}`, batteryLink(hit.battery)) : null,
      );
      break;
    case "company":
      cells.push(
        h("strong", {}, hit.name ?? hit.id),
        h("span", { class: "code muted small" }, " ", ...marked(hit.id, q)),
        h("span", { class: "muted" }, ` · ${(hit.roles ?? []).map((r) => vocab("company_roles", r)).join(", ")} · ${provinceName(hit.province)}`),
        hit.maker_code
          ? h("a", { href: `#/battery?maker=${encodeURIComponent(hit.maker_code)}`, class: "small" }, ` ${w("s.makerBatteries", { code: hit.maker_code })}`)
          : null,
      );
      break;
    case "station":
      cells.push(
        h("strong", {}, hit.name ?? hit.id),
        h("span", { class: "code muted small" }, " ", ...marked(hit.id, q)),
        h("span", { class: "muted" }, ` · ${w("s.operator")} ${hit.company_name ?? hit.company ?? "—"} · ${provinceName(hit.province)}`),
      );
      break;
  }
  return h("li", { class: "hit", "data-kind": hit.kind, "data-id": hit.id, "data-match": hit.match }, matchBadge(hit.match), " ", ...cells);
}

export async function renderSearch(root: HTMLElement, q: string): Promise<void> {
  const title = h("h1", {}, w("s.title", { q }));
  root.replaceChildren(searchBox(q), title, h("p", { class: "muted" }, t("common.loading")));
  document.title = `${q} · BatteryTrace`;
  if (q.trim().length < 2) {
    root.replaceChildren(searchBox(q), title, notice("info", w("s.tooShort")));
    return;
  }
  let result: SearchResult;
  try {
    result = await getJson<SearchResult>("/v1/search", { q, limit: LIMIT });
  } catch (err) {
    root.replaceChildren(searchBox(q), title, errorNotice(err, "load-error"));
    return;
  }
  const groups = KINDS.filter((k) => result.searched.includes(k)).map((kind) => {
    const hits = result.hits.filter((x) => x.kind === kind);
    return { kind, hits };
  });
  const skipped = result.skipped.filter((s) => s.reason !== "not asked for");
  const body = h("div", { "data-testid": "search-results" });
  if (!result.hits.length) body.append(notice("info", w("s.none", { q: result.query }), "no-hits"));
  for (const g of groups) {
    if (!g.hits.length) continue;
    body.append(
      section(
        `${w(`s.kind.${g.kind}` as WordKey)} (${g.hits.length}${result.more.includes(g.kind) ? "+" : ""})`,
        `hits-${g.kind}`,
        h("ul", { class: "hits" }, g.hits.map((x) => hitRow(x, result.query))),
        result.more.includes(g.kind) ? h("p", { class: "muted small" }, w("s.more", { n: LIMIT })) : null,
      ),
    );
  }
  if (skipped.length) {
    body.append(
      notice("info", w("s.skipped", { list: skipped.map((s) => `${w(`s.kind.${s.kind}` as WordKey)} (${s.reason})`).join("; ") }), "search-skipped"),
    );
  }
  root.replaceChildren(searchBox(q), title, body);
}

// ---- the battery list ----

const STATUSES = ["in_stock", "in_transit", "installed", "removed", "in_swap_pool", "assembled", "repurposed", "recycled", "unknown"];
const FILTERS = ["status", "maker", "chemistry", "level", "province"] as const;
type Filter = (typeof FILTERS)[number];

interface Summary {
  code: string;
  level: string | null;
  maker_code: string | null;
  status: string | null;
  status_since: string | null;
  chemistry: string | null;
  current_vin: string | null;
  current_holder: string | null;
}

interface Vocab {
  chemistries?: Array<{ name: string; zh: string; en: string }>;
}

let makers: Promise<Company[]> | null = null;
function listMakers(): Promise<Company[]> {
  makers ??= getJson<{ items: Company[] }>("/v1/companies", { role: "battery_maker", limit: 500 })
    .then((p) => p.items.filter((c) => typeof c["maker_code"] === "string"))
    .catch(() => {
      makers = null;
      return [];
    });
  return makers;
}

let chemistries: Promise<string[]> | null = null;
function listChemistries(): Promise<string[]> {
  chemistries ??= getJson<Vocab>("/v1/vocabularies")
    .then((v) => (v.chemistries ?? []).map((c) => c.name))
    .catch(() => {
      chemistries = null;
      return [];
    });
  return chemistries;
}

function select(name: Filter, value: string, options: Array<[string, string]>): HTMLSelectElement {
  return h(
    "select",
    { name, "data-testid": `filter-${name}`, "aria-label": w(`list.${name}` as WordKey) },
    h("option", { value: "" }, w("list.any")),
    options.map(([v, label]) => h("option", { value: v, selected: v === value }, label)),
  );
}

function listRow(b: Summary): HTMLElement {
  return h(
    "tr",
    { "data-code": b.code, "data-status": b.status ?? "", "data-chemistry": b.chemistry ?? "", "data-maker": b.maker_code ?? "" },
    h("td", { "data-label": t("col.battery") }, batteryLink(b.code)),
    h("td", { "data-label": t("col.status") }, statusBadge(b.status)),
    h("td", { "data-label": w("list.level") }, term("level", b.level)),
    h("td", { "data-label": w("list.chemistry") }, b.chemistry ? vocab("chemistries", b.chemistry) : "—"),
    h("td", { "data-label": w("list.colHolder") }, b.current_holder ? namedCode("company", b.current_holder) : "—"),
    h("td", { "data-label": w("list.colVehicle") }, b.current_vin ? vehicleLink(b.current_vin) : "—"),
    h("td", { "data-label": w("list.colSince") }, formatDate(b.status_since)),
  );
}

/** The battery list, filtered as the hash says (#/battery?status=installed&province=440000). */
export async function batteryList(query: URLSearchParams, pageSize = 25): Promise<HTMLElement> {
  const chosen = Object.fromEntries(FILTERS.map((f) => [f, query.get(f) ?? ""])) as Record<Filter, string>;
  const [makerList, chemistryList] = await Promise.all([listMakers(), listChemistries()]);
  const fields: Record<Filter, HTMLSelectElement> = {
    status: select("status", chosen.status, STATUSES.map((s) => [s, term("status", s)])),
    maker: select(
      "maker",
      chosen.maker,
      makerList.map((c) => [String(c["maker_code"]), `${c.name ?? c.uscc} (${String(c["maker_code"])})`]),
    ),
    chemistry: select("chemistry", chosen.chemistry, chemistryList.map((c) => [c, vocab("chemistries", c)])),
    level: select("level", chosen.level, ["pack", "module", "cell"].map((l) => [l, term("level", l)])),
    province: select("province", chosen.province, PROVINCES.map((p) => [p.code, `${provinceLabel(p.code)} (${p.code})`])),
  };
  if (chosen.maker && !makerList.some((c) => c["maker_code"] === chosen.maker)) {
    fields.maker.append(h("option", { value: chosen.maker, selected: true }, chosen.maker));
  }
  const form = h(
    "form",
    { class: "controls list-filters", "data-testid": "list-filters" },
    FILTERS.map((f) => h("label", {}, `${w(`list.${f}` as WordKey)} `, fields[f])),
    h("button", { type: "submit" }, w("list.apply")),
    h("a", { href: "#/battery", class: "small" }, w("list.reset")),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const f of FILTERS) if (fields[f].value) q.set(f, fields[f].value);
    const qs = q.toString();
    location.hash = qs ? `#/battery?${qs}` : "#/battery";
  });
  // A change applies at once: on a phone there is no need to find the button.
  for (const f of FILTERS) fields[f].addEventListener("change", () => form.requestSubmit());
  const body = h("tbody", {});
  const count = h("span", { class: "muted", "data-testid": "list-count" });
  const more = h("button", { type: "button", "data-testid": "list-more", hidden: true }, w("list.more"));
  const holder = h("div", { "data-testid": "battery-list" });
  let after = "";
  let shown = 0;
  const page = async (): Promise<void> => {
    const params: Record<string, string | number> = { limit: pageSize };
    for (const f of FILTERS) if (chosen[f]) params[f] = chosen[f];
    if (after) params["after"] = after;
    const p = await getJson<{ items: Summary[]; next_after: string | null }>("/v1/batteries", params);
    body.append(...p.items.map(listRow));
    shown += p.items.length;
    after = p.next_after ?? "";
    more.hidden = !p.next_after;
    count.textContent = w("list.shown", { n: shown });
    void fillNames(body);
    if (!shown) holder.replaceChildren(notice("info", w("list.empty"), "list-empty"));
  };
  more.addEventListener("click", () => void page().catch((err) => holder.append(errorNotice(err))));
  holder.append(
    h(
      "table",
      { class: "stack battery-list" },
      h("thead", {}, h("tr", {}, [t("col.battery"), t("col.status"), w("list.level"), w("list.chemistry"), w("list.colHolder"), w("list.colVehicle"), w("list.colSince")].map((x) => h("th", {}, x)))),
      body,
    ),
    h("div", { class: "more" }, more, count),
  );
  try {
    await page();
  } catch (err) {
    holder.replaceChildren(errorNotice(err, "list-error"));
  }
  return section(w("list.title"), "batteries", form, holder);
}

/** The home page: the search box and the filtered battery list. */
export async function renderHome(root: HTMLElement, query: URLSearchParams): Promise<void> {
  root.replaceChildren(h("h1", {}, t("home.title")), searchBox(), h("p", { class: "muted" }, t("home.hint")));
  root.append(await batteryList(query));
  document.title = "BatteryTrace";
}
