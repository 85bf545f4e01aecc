// Fade over life on the analyst's page: mean state of health by the pack's age at the reading,
// per chemistry, maker or use, as GET /v1/analytics/health/fade counts it in the database.

import { getJson, type Query } from "../api";
import { errorNotice, h, section, table } from "../dom";
import { num } from "../i18n";
import { vocab } from "../vocab";
import { type WordKey, w } from "./words";

export type FadeBy = "chemistry" | "maker" | "use";

interface FadeCell {
  group: string;
  group_name: string | null;
  band: string;
  readings: number;
  batteries: number;
  mean_soh_pct: number;
  min_soh_pct: number;
  max_soh_pct: number;
}

interface FadeTable {
  by: FadeBy;
  bands: string[];
  readings: number;
  cells: FadeCell[];
}

const BY: readonly FadeBy[] = ["chemistry", "maker", "use"];

function groupName(by: FadeBy, cell: FadeCell): string {
  if (by === "chemistry") return vocab("chemistries", cell.group);
  if (by === "use") return w(`fade.use.${cell.group}` as WordKey);
  return cell.group_name ? `${cell.group_name} (${cell.group})` : cell.group;
}

/** The table: a row per age band, a column per group, each cell "mean % (readings)". */
export function fadeTable(doc: FadeTable): HTMLElement {
  if (!doc.cells.length) return h("p", { class: "muted", "data-testid": "fade-none" }, w("fade.none"));
  const groups = [...new Map(doc.cells.map((c) => [c.group, groupName(doc.by, c)])).entries()];
  const at = new Map(doc.cells.map((c) => [`${c.group}|${c.band}`, c]));
  const rows = doc.bands
    .filter((band) => groups.some(([g]) => at.has(`${g}|${band}`)))
    .map((band) => [
      band,
      ...groups.map(([g]) => {
        const c = at.get(`${g}|${band}`);
        if (!c) return "–";
        const title = w("fade.cellTitle", { min: num(c.min_soh_pct, 1), max: num(c.max_soh_pct, 1), packs: num(c.batteries) });
        return h("span", { title }, `${num(c.mean_soh_pct, 1)} % (${num(c.readings)})`);
      }),
    ]);
  return table([w("fade.age"), ...groups.map(([, name]) => name)], rows, { "data-testid": "fade-table", "data-by": doc.by });
}

/** The section, with its own choice of grouping; redraws in place when the choice changes. */
export function fadeSection(filters: Query): HTMLElement {
  const body = h("div", {}, h("p", { class: "muted" }, w("fade.loading")));
  const hint = h("p", { class: "muted small", "data-testid": "fade-hint" });
  const load = async (by: FadeBy): Promise<void> => {
    try {
      const doc = await getJson<FadeTable>("/v1/analytics/health/fade", { ...filters, by });
      hint.textContent = w("fade.hint", { readings: num(doc.readings) });
      body.replaceChildren(fadeTable(doc));
    } catch (err) {
      body.replaceChildren(errorNotice(err, "fade-error"));
    }
  };
  const picker = h(
    "select",
    {
      "aria-label": w("fade.by"),
      "data-testid": "fade-by",
      onchange: ((e: Event) => void load((e.target as HTMLSelectElement).value as FadeBy)) as EventListener,
    },
    ...BY.map((by) => h("option", { value: by }, w(`fade.by.${by}` as WordKey))),
  );
  void load("chemistry");
  return section(w("fade.title"), "fade", h("label", { class: "inline" }, w("fade.by"), " ", picker), hint, body);
}
