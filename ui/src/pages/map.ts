// The regulator's map: China's provinces coloured by findings per 1,000 packs with an event there
// (the summary's denominators), drawn by ECharts from the bundled outlines (china_map.ts). A click on a province
// narrows the page to it; the province tables stay the accessible way to the same choice.

import { MapChart } from "echarts/charts";
import { TooltipComponent, VisualMapComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { h } from "../dom";
import { num } from "../i18n";
import { provinceLabel } from "../provinces";
import { chinaMap } from "./china_map";
import { w } from "./regulator_words";

echarts.use([MapChart, TooltipComponent, VisualMapComponent, CanvasRenderer]);

let registered = false;
/** Undoes the map shown last (its chart and its size watcher): one map at a time. */
let releaseShown: () => void = () => undefined;

/** One province's figures over every rule. */
export interface ProvinceFigure {
  code: string;
  count: number;
  /** The denominator: packs with an event in the province. */
  packs: number;
  rate: number | null;
}

export interface MapOptions {
  figures: ProvinceFigure[];
  selected: string | undefined;
  onPick: (code: string) => void;
}

function ensureMap(): void {
  if (registered) return;
  // The outlines' type is GeoJSON as ECharts reads it; our parser checked its shape.
  echarts.registerMap("china", chinaMap() as unknown as Parameters<typeof echarts.registerMap>[1]);
  registered = true;
}


function fmt(rate: number | null): string {
  return rate === null ? "—" : num(rate, rate < 10 ? 2 : 1);
}

/**
 * Draw the map into a new element and return it. The element carries `data-centres`, each
 * province's centre in pixels of the element ({code: [x, y]}), so tools and the browser tests
 * can click a province as a person would, and `data-state` (`drawn` once ECharts has finished).
 */
export function provinceMap(opts: MapOptions): HTMLElement {
  releaseShown();
  const canvas = h("div", { class: "map-canvas", role: "img", "aria-label": w("map.aria"), "data-testid": "province-map" });
  const box = h("div", { class: "map-box" }, canvas);
  const byCode = new Map(opts.figures.map((f) => [f.code, f]));
  const max = Math.max(0, ...opts.figures.map((f) => f.rate ?? 0));
  // Drawn once the element is in the page (ECharts measures its container).
  requestAnimationFrame(() => {
    if (!canvas.isConnected) return;
    try {
      ensureMap();
      const chart = echarts.init(canvas, null, { renderer: "canvas" });
      let watcher: ResizeObserver | null = null;
      const release = (): void => {
        watcher?.disconnect();
        watcher = null;
        if (!chart.isDisposed()) chart.dispose();
      };
      releaseShown = release;
      const data = chinaMap().features.map((f) => {
        const fig = byCode.get(f.id);
        const picked = f.id === opts.selected;
        return {
          name: f.id,
          value: fig && fig.packs > 0 ? (fig.rate ?? 0) : null,
          itemStyle: picked ? { borderColor: "#111", borderWidth: 2.5 } : {},
        };
      });
      // On a phone the legend goes under the map, which shrinks a little to leave it room (at the
      // map's side it covered the far west).
      const narrow = canvas.clientWidth < 520;
      chart.setOption({
        animation: false,
        tooltip: {
          trigger: "item",
          confine: true,
          formatter: (p: { name: string }) => {
            const fig = byCode.get(p.name);
            const name = provinceLabel(p.name);
            if (!fig || fig.count === 0) return w("map.tipNone", { name });
            return w("map.tip", { name, count: num(fig.count), rate: fmt(fig.rate), packs: num(fig.packs) });
          },
        },
        visualMap: {
          type: "continuous",
          min: 0,
          max: max > 0 ? max : 1,
          ...(narrow ? { orient: "horizontal", left: "center" } : { left: 0 }),
          bottom: 0,
          itemWidth: 10,
          itemHeight: narrow ? 120 : 90,
          calculable: false,
          text: [fmt(max), "0"],
          textStyle: { fontSize: 11 },
          inRange: { color: ["#fff6e0", "#f5b041", "#d35400", "#7b241c"] },
          outOfRange: { color: "#e5e5e5" },
        },
        series: [
          {
            type: "map",
            map: "china",
            roam: false,
            selectedMode: false,
            layoutCenter: narrow ? ["50%", "44%"] : ["50%", "50%"],
            layoutSize: narrow ? "86%" : "100%",
            label: { show: false },
            emphasis: { label: { show: false }, itemStyle: { areaColor: "#5dade2" } },
            itemStyle: { borderColor: "#888", borderWidth: 0.5, areaColor: "#e5e5e5" },
            data,
          },
        ],
      });
      chart.on("click", (p) => {
        if (typeof p.name === "string" && /^\d{6}$/.test(p.name)) opts.onPick(p.name);
      });
      const place = (): void => {
        if (chart.isDisposed()) return;
        const centres: Record<string, [number, number]> = {};
        for (const f of chinaMap().features) {
          const cp = f.properties.cp;
          if (!cp) continue;
          const at = chart.convertToPixel({ seriesIndex: 0 }, cp) as number[] | undefined;
          if (at && at.length === 2) centres[f.id] = [Math.round(at[0] ?? 0), Math.round(at[1] ?? 0)];
        }
        canvas.dataset["centres"] = JSON.stringify(centres);
        canvas.dataset["state"] = "drawn";
      };
      chart.on("finished", place);
      watcher = new ResizeObserver(() => {
        // The router dropped the page: let the chart go. A hidden (zero-sized) box is not drawn.
        if (!canvas.isConnected) return release();
        if (chart.isDisposed() || canvas.clientWidth === 0 || canvas.clientHeight === 0) return;
        chart.resize();
        place();
      });
      watcher.observe(canvas);
    } catch (err) {
      canvas.dataset["state"] = "failed";
      box.append(h("p", { class: "notice error" }, w("map.failed", { detail: err instanceof Error ? err.message : String(err) })));
    }
  });
  return box;
}
