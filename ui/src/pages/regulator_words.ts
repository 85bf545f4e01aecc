// The regulator's page's own words (map, time range, inline findings, exports, cases) in English
// and Chinese. Kept beside the page rather than in i18n.ts, typed the same way: the English table
// fixes the keys and the Chinese one must have every one of them, or `tsc` fails.

import { currentLang, type Lang, type Params } from "../i18n";

const en = {
  "map.title": "Findings by province",
  "map.hint": "Click a province to narrow the whole page (summary, findings, cases) to it.",
  "map.all": "All provinces",
  "map.showing": "Showing {name} only.",
  "map.tipNone": "{name}: no findings",
  "map.failed": "The map could not be drawn: {detail}",
  "map.rate": "findings per 1,000 packs with an event in the province",
  "map.legend": "Colour: {rate} (a pack counts in every province it passed through). Grey: no pack recorded there.",
  "map.aria": "map of China's provinces coloured by findings per 1,000 packs",
  "map.tip": "{name}: {count} findings; {rate} per 1,000 packs ({packs} packs with an event there)",

  "period.asOf": "as of (day)",
  "period.asOfHint": "the rules judge at the end of this day, China time; empty: now",
  "period.from": "findings since from",
  "period.to": "to",
  "period.apply": "Apply",
  "period.clear": "now, all time",
  "period.shown": "{asOf}; findings whose problem began {range}",
  "period.asOfNow": "as of now",
  "period.asOfDay": "as of the end of {date}",
  "period.anyTime": "at any time",
  "period.range": "from {from} to {to}",
  "period.fromOnly": "on or after {from}",
  "period.toOnly": "on or before {to}",
  "period.reversed": "“to” is before “from”.",

  "rate.rule": "per 1,000 = findings per 1,000 packs in the graph ({packs} packs)",
  "rate.province": "per 1,000 = findings per 1,000 custodies by companies registered in the province",
  "rate.company": "per 1,000 = findings per 1,000 custodies of the company (batteries it has held)",

  "csv.button": "Export CSV",
  "csv.preparing": "preparing…",

  "find.close": "close",
  "find.evidence": "{n} evidence events",
  "find.noEvidence": "no evidence events",
  "find.more": "show evidence",
  "find.events": "evidence",
  "find.details": "details",
  "find.missing": "missing step",

  "p.limit_wd": "time limit: {n} working days",
  "p.scrapping_limit_wd": "after a removal for scrapping: {n} working days",
  "p.binding_wd": "automakers binding codes to the VIN: {n} working days",
  "p.repair_wd": "repairs and replacements: {n} working days",
  "p.dismantler_wd": "dismantlers: {n} working days",
  "p.second_life_wd": "second-life firms: {n} working days",
  "p.recycler_wd": "recyclers: {n} working days",
  "p.service_point_wd": "service points: {n} working days",
  "p.daysBeforeScrap": "window: removals up to {n} days before the scrapping",
  "p.daysPeriod": "period: {n} days up to as_of",
  "p.ceilings": "highest plausible share of a pack's mass: {v}",
  "p.lfp": "LFP",
  "p.ternary": "ternary (NCM/NCA)",
  "p.unknownChem": "unknown chemistry",
  "p.mass_tolerance": "declared input may exceed the battery's mass by {v}",
  "p.tolerance_share": "imbalance tolerated: {v} of the input",
  "p.tolerance_kg": "and {n} kg",
  "p.banned": "banned uses: {v}",
  "p.listSep": ", ",
  "p.service_life_years": "first life: silent after {n} years",
  "p.second_life_years": "second life: silent after {n} years",
  "p.since": "events since {v}",
  "p.sinceAny": "events of any date",
  "p.byEvent": "one finding per late event",
  "p.byCompanyMonth": "persistent lateness per company and month",
  "p.persistent_months": "persistent after {n} months in a row",
  "p.none": "no parameters of its own",
} as const satisfies Record<string, string>;

export type WordKey = keyof typeof en;

const zh: Record<WordKey, string> = {
  "map.title": "各省发现",
  "map.hint": "点击省份，整页（汇总、发现、案件）都限定为该省。",
  "map.all": "全部省份",
  "map.showing": "仅显示{name}。",
  "map.tipNone": "{name}：无发现",
  "map.failed": "地图无法绘制：{detail}",
  "map.rate": "在该省有事件的每千个电池包的发现数",
  "map.legend": "颜色：{rate}（电池包经过的每个省都计入）。灰色：该省没有电池包记录。",
  "map.aria": "中国各省地图，按每千个电池包的发现数着色",
  "map.tip": "{name}：{count} 条发现；每千个电池包 {rate} 条（在该省有事件的电池包 {packs} 个）",

  "period.asOf": "截至（日期）",
  "period.asOfHint": "规则按北京时间该日结束时判断；留空：现在",
  "period.from": "问题起始日期 从",
  "period.to": "至",
  "period.apply": "应用",
  "period.clear": "现在、全部时间",
  "period.shown": "{asOf}；问题起始于{range}的发现",
  "period.asOfNow": "截至现在",
  "period.asOfDay": "截至 {date} 结束",
  "period.anyTime": "任何时间",
  "period.range": " {from} 至 {to} ",
  "period.fromOnly": " {from} 及以后",
  "period.toOnly": " {to} 及以前",
  "period.reversed": "“至”早于“从”。",

  "rate.rule": "每千 = 图中每千个电池包的发现数（共 {packs} 个电池包）",
  "rate.province": "每千 = 在该省登记的企业每千次持有的发现数",
  "rate.company": "每千 = 该企业每千次持有（其持有过的电池）的发现数",

  "csv.button": "导出 CSV",
  "csv.preparing": "正在准备…",

  "find.close": "收起",
  "find.evidence": "{n} 个证据事件",
  "find.noEvidence": "无证据事件",
  "find.more": "显示证据",
  "find.events": "证据",
  "find.details": "详情",
  "find.missing": "缺失环节",

  "p.limit_wd": "时限：{n} 个工作日",
  "p.scrapping_limit_wd": "因报废拆卸后：{n} 个工作日",
  "p.binding_wd": "整车企业绑定编码与车辆识别代号：{n} 个工作日",
  "p.repair_wd": "维修与更换：{n} 个工作日",
  "p.dismantler_wd": "拆解企业：{n} 个工作日",
  "p.second_life_wd": "梯次利用企业：{n} 个工作日",
  "p.recycler_wd": "再生利用企业：{n} 个工作日",
  "p.service_point_wd": "回收服务网点：{n} 个工作日",
  "p.daysBeforeScrap": "时间窗：报废前 {n} 天内的拆卸",
  "p.daysPeriod": "统计期：截至日前 {n} 天",
  "p.ceilings": "各元素占电池包质量的最高合理比例：{v}",
  "p.lfp": "磷酸铁锂",
  "p.ternary": "三元（NCM/NCA）",
  "p.unknownChem": "化学体系未知",
  "p.mass_tolerance": "申报投入可超出电池质量 {v}",
  "p.tolerance_share": "允许的不平衡：投入的 {v}",
  "p.tolerance_kg": "另加 {n} 千克",
  "p.banned": "禁止用途：{v}",
  "p.listSep": "、",
  "p.service_life_years": "第一次使用：{n} 年无事件即为沉默",
  "p.second_life_years": "梯次利用：{n} 年无事件即为沉默",
  "p.since": "{v} 以来的事件",
  "p.sinceAny": "任何日期的事件",
  "p.byEvent": "每个迟报事件一条发现",
  "p.byCompanyMonth": "按企业和月份统计的持续迟报",
  "p.persistent_months": "连续 {n} 个月即为持续",
  "p.none": "没有本规则自己的参数",
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
