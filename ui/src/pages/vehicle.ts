// A vehicle's page: the packs it carried on a time axis (a row per pack, a bar per stay, swaps
// marked with their station), the stations of its swaps, and the installations as a table.

import { ApiError, getJson } from "../api";
import { batteryLink, errorNotice, formatDate, formatTime, h, kv, notice, section, svg } from "../dom";
import { t, term } from "../i18n";
import type { Installation, VehicleBatteries } from "../types";
import { searchBox } from "./battery";
import { w } from "./words";

/** What the vehicle answer adds to an installation: how it began and ended, and where. */
export interface Stay extends Installation {
  since_type?: string | null;
  until_type?: string | null;
  since_station?: string | null;
  since_station_name?: string | null;
  until_station?: string | null;
  until_station_name?: string | null;
}

const ROW = 24;
const TOP = 26;

export interface StationUse {
  id: string;
  name: string | null;
  swaps: number;
  first: string;
  last: string;
}

/** The stations the vehicle's packs were swapped at: each swap once (it ends one stay and opens the next). */
export function stationsOf(stays: Stay[]): StationUse[] {
  const seen = new Map<string, { name: string | null; events: Map<string, string> }>();
  const note = (id: string | null | undefined, name: string | null | undefined, event: string | null, at: string | null): void => {
    if (!id || !event || !at) return;
    const s = seen.get(id) ?? { name: name ?? null, events: new Map<string, string>() };
    s.events.set(event, at);
    seen.set(id, s);
  };
  for (const s of stays) {
    note(s.since_station, s.since_station_name, s.since_event, s.since);
    note(s.until_station, s.until_station_name, s.until_event, s.until);
  }
  return [...seen].map(([id, s]) => {
    const times = [...s.events.values()].sort();
    return { id, name: s.name, swaps: times.length, first: times[0] ?? "", last: times[times.length - 1] ?? "" };
  }).sort((a, b) => b.swaps - a.swaps || a.id.localeCompare(b.id));
}

function ticks(start: number, end: number): number[] {
  const first = new Date(start).getUTCFullYear();
  const last = new Date(end).getUTCFullYear();
  const out: number[] = [];
  const step = Math.max(1, Math.ceil((last - first + 1) / 8));
  for (let y = first; y <= last + 1; y += step) {
    const at = Date.UTC(y, 0, 1);
    if (at >= start && at <= end) out.push(at);
  }
  return out;
}

/** The packs on a time axis, as wide as the space it is given. */
export function vehicleTimeline(v: VehicleBatteries, stays: Stay[], width: number, now = Date.now()): SVGSVGElement {
  const codes = [...new Set(stays.map((s) => s.code))];
  const labelW = Math.min(200, Math.round(width * 0.34));
  const right = 14;
  const height = TOP + codes.length * ROW + 10;
  const times = stays.flatMap((s) => [Date.parse(s.since), s.until ? Date.parse(s.until) : now]);
  for (const d of [v.sold_at, v.scrapped_at, v.exported_at]) if (d) times.push(Date.parse(d));
  const span = Math.max(Math.max(...times) - Math.min(...times), 86_400_000);
  const t0 = Math.min(...times) - span * 0.02;
  const t1 = Math.max(...times) + span * 0.02;
  const x = (at: number): number => labelW + ((at - t0) / (t1 - t0)) * (width - labelW - right);
  const row = new Map(codes.map((c, i) => [c, i]));
  const root = svg("svg", {
    class: "vehicle-timeline",
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": w("vt.aria"),
    "data-rows": codes.length,
    "data-bars": stays.length,
  });
  for (const at of ticks(t0, t1)) {
    root.append(
      svg("line", { class: "tick", x1: x(at), x2: x(at), y1: TOP - 6, y2: height - 6 }),
      svg("text", { class: "axis-label", x: x(at) + 3, y: TOP - 10 }, String(new Date(at).getUTCFullYear())),
    );
  }
  // The vehicle's own moments: sold, scrapped, exported, as dashed lines across every row.
  const moments: Array<[string | null | undefined, string]> = [
    [v.sold_at, t("vehicle.sold")],
    [v.scrapped_at, t("vehicle.scrapped")],
    [v.exported_at, t("vehicle.exported")],
  ];
  for (const [at, what] of moments) {
    if (!at) continue;
    const mx = x(Date.parse(at));
    root.append(
      svg("line", { class: "moment", x1: mx, x2: mx, y1: TOP - 4, y2: height - 6, "data-moment": what }, svg("title", {}, `${what} · ${formatTime(at)}`)),
    );
  }
  // Characters that fit beside the bars: the code's end is the part that tells packs apart.
  const fit = Math.max(6, Math.floor((labelW - 10) / 6.7));
  codes.forEach((code, i) => {
    const label = code.length > fit ? `…${code.slice(-(fit - 1))}` : code;
    const link = svg("a", { href: `#/battery/${encodeURIComponent(code)}` }, svg("text", { class: "pack-label", x: 6, y: TOP + i * ROW + ROW / 2 + 4 }, label, svg("title", {}, code)));
    root.append(link);
  });
  for (const s of stays) {
    const y = TOP + (row.get(s.code) ?? 0) * ROW + ROW / 2;
    const from = x(Date.parse(s.since));
    const to = x(s.until ? Date.parse(s.until) : now);
    const title = `${s.code} · ${formatTime(s.since)} → ${s.until ? formatTime(s.until) : w("vt.now")}` +
      (s.since_station ? ` · ${w("vt.at", { station: s.since_station_name ?? s.since_station })}` : "");
    root.append(
      svg("rect", { class: `pack-bar${s.until ? "" : " open"}`, x: from, y: y - 6, width: Math.max(3, to - from), height: 12, rx: 3, "data-code": s.code, "data-since": s.since }, svg("title", {}, title)),
    );
    if (s.since_type === "swapped" && s.since_station) {
      root.append(
        svg(
          "path",
          { class: "swap-mark", d: `M${from} ${y - 8}L${from + 6} ${y}L${from} ${y + 8}L${from - 6} ${y}Z`, "data-station": s.since_station, "data-event": s.since_event },
          svg("title", {}, `${term("et", "swapped")} · ${s.since_station_name ?? s.since_station} (${s.since_station}) · ${formatTime(s.since)}`),
        ),
      );
    }
  }
  return root;
}

function via(type: string | null | undefined, station: string | null | undefined, name: string | null | undefined): string {
  if (!type) return "";
  return ` · ${w("vt.via", { type: term("et", type) })}${station ? ` ${w("vt.at", { station: `${name ?? station} (${station})` })}` : ""}`;
}

export async function renderVehicle(root: HTMLElement, vin: string): Promise<void> {
  root.replaceChildren(searchBox(vin), h("p", { class: "muted" }, t("common.loading")));
  let v: VehicleBatteries;
  try {
    v = await getJson<VehicleBatteries>(`/v1/vehicles/${encodeURIComponent(vin)}/batteries`);
  } catch (err) {
    root.replaceChildren(
      searchBox(vin),
      err instanceof ApiError && err.status === 404 ? notice("info", t("vehicle.unknown", { vin }), "not-found") : errorNotice(err, "load-error"),
    );
    return;
  }
  const stays = v.batteries as Stay[];
  const stations = stationsOf(stays);
  const holder = h("div", { class: "vt-holder", "data-testid": "vehicle-timeline" });
  const parts: HTMLElement[] = [
    searchBox(vin),
    section(
      t("vehicle.title", { vin }),
      "vehicle",
      kv([
        [t("vehicle.registered"), v.registered === null ? "—" : v.registered ? t("common.yes") : t("common.no")],
        [t("vehicle.sold"), formatTime(v.sold_at)],
        [t("vehicle.scrapped"), formatTime(v.scrapped_at)],
        [t("vehicle.exported"), v.exported_at ? t("vehicle.exportedTo", { date: formatTime(v.exported_at), destination: v.export_destination ?? "?" }) : "—"],
      ]),
    ),
    stays.length ? section(w("vt.title"), "vehicle-packs", holder) : notice("info", t("vehicle.noBattery")),
    section(
      w("vt.stations"),
      "vehicle-stations",
      stations.length
        ? h(
            "table",
            { class: "stack", "data-testid": "station-list" },
            h("thead", {}, h("tr", {}, [w("vt.colStation"), w("vt.colSwaps"), w("vt.colFirst"), w("vt.colLast")].map((x) => h("th", {}, x)))),
            h(
              "tbody",
              {},
              stations.map((s) =>
                h(
                  "tr",
                  { "data-station": s.id },
                  h("td", { "data-label": w("vt.colStation") }, h("strong", {}, s.name ?? s.id), h("span", { class: "code muted small" }, ` ${s.id}`)),
                  h("td", { class: "num", "data-label": w("vt.colSwaps") }, String(s.swaps)),
                  h("td", { "data-label": w("vt.colFirst") }, formatDate(s.first)),
                  h("td", { "data-label": w("vt.colLast") }, formatDate(s.last)),
                ),
              ),
            ),
          )
        : h("p", { class: "muted" }, w("vt.noSwaps")),
    ),
    stays.length
      ? section(
          t("vehicle.carried", { n: stays.length }),
          "vehicle-table",
          h(
            "table",
            { class: "stack", "data-testid": "vehicle-batteries" },
            h("thead", {}, h("tr", {}, [t("col.battery"), t("col.level"), t("col.installed"), t("col.until"), t("col.byEvents")].map((x) => h("th", {}, x)))),
            h(
              "tbody",
              {},
              stays.map((b) =>
                h(
                  "tr",
                  { "data-code": b.code },
                  h("td", { "data-label": t("col.battery") }, batteryLink(b.code)),
                  h("td", { "data-label": t("col.level") }, term("level", b.level)),
                  h("td", { "data-label": t("col.installed") }, formatTime(b.since), h("span", { class: "muted small" }, via(b.since_type, b.since_station, b.since_station_name))),
                  h(
                    "td",
                    { "data-label": t("col.until") },
                    b.until ? formatTime(b.until) : h("strong", {}, t("vehicle.installedNow")),
                    h("span", { class: "muted small" }, via(b.until_type, b.until_station, b.until_station_name)),
                  ),
                  h("td", { "data-label": t("col.byEvents") }, h("span", { class: "code small" }, `${b.since_event}${b.until_event ? ` → ${b.until_event}` : ""}`)),
                ),
              ),
            ),
          ),
        )
      : h("span"),
  ];
  root.replaceChildren(...parts);
  document.title = `${vin} · BatteryTrace`;
  if (stays.length) {
    requestAnimationFrame(() => holder.replaceChildren(vehicleTimeline(v, stays, Math.max(320, holder.clientWidth || 900))));
  }
}
