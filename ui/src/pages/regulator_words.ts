// The regulator's page's own words (map, time range, inline findings, exports, cases) in English
// and Chinese. Kept beside the page rather than in i18n.ts, typed the same way: the English table
// fixes the keys and the Chinese one must have every one of them, or `tsc` fails.

import { currentLang, type Lang, type Params } from "../i18n";

const en = {
  "map.title": "Findings by province",
  "map.rate": "findings per 1,000 custodies by companies registered in the province",
  "map.legend": "Colour: {rate}. Grey: no custody recorded there.",
  "map.hint": "Click a province to narrow the whole page (summary, findings, cases) to it.",
  "map.aria": "map of China's provinces coloured by findings per 1,000 custodies",
  "map.all": "All provinces",
  "map.showing": "Showing {name} only.",
  "map.tip": "{name}: {count} findings; {rate} per 1,000 custodies ({handled} custodies)",
  "map.tipNone": "{name}: no findings",
  "map.failed": "The map could not be drawn: {detail}",
} as const satisfies Record<string, string>;

export type WordKey = keyof typeof en;

const zh: Record<WordKey, string> = {
  "map.title": "各省发现",
  "map.rate": "在该省登记的企业每千次持有的发现数",
  "map.legend": "颜色：{rate}。灰色：该省没有持有记录。",
  "map.hint": "点击省份，整页（汇总、发现、案件）都限定为该省。",
  "map.aria": "中国各省地图，按每千次持有的发现数着色",
  "map.all": "全部省份",
  "map.showing": "仅显示{name}。",
  "map.tip": "{name}：{count} 条发现；每千次持有 {rate} 条（共 {handled} 次持有）",
  "map.tipNone": "{name}：无发现",
  "map.failed": "地图无法绘制：{detail}",
};

const WORDS: Readonly<Record<Lang, Readonly<Record<WordKey, string>>>> = { en, "zh-CN": zh };

/** A word of this page in the language shown, its `{name}` placeholders filled. */
export function w(key: WordKey, params: Params = {}): string {
  return WORDS[currentLang()][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Both tables, for the unit test that holds them to the same keys and placeholders. */
export const REGULATOR_WORDS = WORDS;
