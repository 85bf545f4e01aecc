// The leakage rules in Chinese. GET /v1/leakage/rules answers in English only, so English is read
// from the API and only the Chinese wording lives here, by rule id; a rule the API adds later
// shows its English words until it gets an entry (the zh-CN browser test lists the missing ones).

import { currentLang } from "./i18n";
import type { Rule } from "./leakage";

interface RuleWords {
  title: string;
  meaning: string;
  since: string;
  company: string;
}

export const RULES_ZH: Readonly<Record<string, RuleWords>> = {
  battery_missing_at_scrap: {
    title: "报废时电池缺失（第二十一条）",
    meaning:
      "非换电车型报废时车上未装电池包，计为缺失。报废拆解企业为报废而自行拆下的电池包视为随车到达。",
    since: "报废事件",
    company: "拆下电池包的企业；若从未绑定电池包，则为车辆生产企业；否则为拆解企业",
  },
  pre_scrap_separation: {
    title: "报废前拆离",
    meaning:
      "非换电车辆报废前不久被拆下的电池包，此后既未重新装车，也未被正规接收方（在列的梯次利用或再生利用企业、回收服务网点）接收。",
    since: "拆卸事件",
    company: "拆下电池包的企业",
  },
  dark_after_removal: {
    title: "拆卸后失联",
    meaning:
      "电池包从车上拆下后，在时限内没有下一个持有方：未重新装车、未发货、未被其他企业接收、未再生利用或梯次利用。换电运营企业因维修或“其他”原因拆下的电池包回到其换电周转池，不起算。",
    since: "拆卸事件（details.deadline：逾期时间）",
    company: "拆下电池包的企业",
  },
  unlisted_handover: {
    title: "交给非白名单企业",
    meaning:
      "拆下或废旧电池包发往或由当日并非正规接收方的企业接收：不是在列期内的梯次利用或再生利用企业，也不是回收服务网点。",
    since: "交接的第一个事件",
    company: "发货方",
  },
  lost_in_transit: {
    title: "运输途中丢失",
    meaning: "发货后在时限内没有对应的收货（收货方从发货方接收该电池）。",
    since: "发货事件（details.deadline：逾期时间）",
    company: "发货方",
  },
  unexplained_source: {
    title: "来源不明",
    meaning: "收货事件没有指名发货方发往该收货方的发货与之对应，或电池仍装在车上时被接收。",
    since: "收货事件",
    company: "收货方",
  },
  double_presence: {
    title: "克隆 / 同时出现",
    meaning: "同一编码同时出现在两处：重复生产上报、属于两个不同的上级，或仍装于一车时又被记为装于另一车。",
    since: "第二次出现",
    company: "第二次出现的上报方",
  },
  post_recycling_event: {
    title: "再生利用后仍有事件",
    meaning: "电池再生利用（销毁）之后，仍有发生时间更晚的事件提及该电池。",
    since: "之后的第一个事件",
    company: "之后第一个事件的上报方",
  },
  implausible_recovery: {
    title: "回收量不合理",
    meaning: "回收的金属超过投入电池的质量和化学体系所能含有的量。",
    since: "再生利用事件",
    company: "再生利用企业",
  },
  recycler_mass_balance: {
    title: "再生利用企业质量平衡",
    meaning:
      "一段时间内，再生利用企业申报的投入与其再生利用时已接收（持有）电池的质量不符：处理了从未接收的电池，或虚报、少报投入质量。",
    since: "期内第一次质量不平衡的再生利用",
    company: "再生利用企业",
  },
  prohibited_use: {
    title: "禁止用途",
    meaning: "废旧或退役电池被梯次利用于禁止的用途（电动自行车等）。",
    since: "梯次利用事件",
    company: "进行梯次利用的企业",
  },
  second_life_lineage: {
    title: "梯次利用溯源",
    meaning: "梯次利用编码未关联其来源电池，或原电池在梯次利用期间仍（或再次）装于车辆。",
    since: "未关联编码的第一个事件、梯次利用事件或之后的装车事件",
    company: "该事件的上报方",
  },
  unfit_second_life: {
    title: "梯次利用电池不适用",
    meaning:
      "电池包以低于其用途所需健康度（min_soh_pct；备用电源为 backup_min_soh_pct）的状态被梯次利用，或在梯次利用前 window_days 天内没有剩余能量检测（GB/T 34015）。所判断的健康度取梯次利用事件所报者，否则取窗口内最后一次检测，否则取最后一次读数；禁止用途由“禁止用途”规则判断。",
    since: "梯次利用事件",
    company: "进行梯次利用的企业",
  },
  silent_battery: {
    title: "长期无事件",
    meaning:
      "超过其类别（首次或梯次利用）的使用寿命没有任何事件，且未再生利用。在其最后事件之时或之后随车出口（vehicle_exported）的电池包视为已随车离境，予以豁免；出口之后关于该电池包的事件照常判断。",
    since: "最后一个事件",
    company: "当前持有方；否则为其所在车辆的生产企业；否则为其生产企业",
  },
  unregistered_battery: {
    title: "未登记的电池或生产企业",
    meaning:
      "从未生产上报的编码有生命周期事件，或编码的厂商代码前缀不属于任何已登记的电池生产企业。梯次利用产品改由“梯次利用溯源”规则判断。",
    since: "第一个提及该编码的事件",
    company: "前缀已登记时为该前缀的生产企业（未生产上报）；否则为第一个上报方",
  },
  late_report: {
    title: "逾期上报",
    meaning:
      "事件的记录时间晚于其所报内容的工作日时限（2018 年规定）。导入的历史数据按其携带的 recorded_at 判断。by=company_month 时改为列出持续逾期：连续 persistent_months 个月或以上逾期的企业。",
    since: "事件的发生时间（details.deadline：其时限）；by=company_month 时为连续逾期的第一个月",
    company: "上报方",
  },
};

/** The rule's words in the language shown: Chinese from the table above, else the API's own. */
export function ruleWords(rule: Pick<Rule, "id" | "title" | "meaning" | "since" | "company">): RuleWords {
  const zh = currentLang() === "zh-CN" ? RULES_ZH[rule.id] : undefined;
  return zh ?? { title: rule.title, meaning: rule.meaning, since: rule.since, company: rule.company };
}

/** The title alone, for places that only have an id and the API's title (summaries, flags). */
export function ruleTitle(id: string, apiTitle: string | undefined): string {
  const zh = currentLang() === "zh-CN" ? RULES_ZH[id] : undefined;
  return zh?.title ?? apiTitle ?? id.replaceAll("_", " ");
}
