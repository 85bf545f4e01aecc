import { afterEach, describe, expect, it } from "vitest";
import { resetLang, setLang } from "../i18n";
import type { RuleParam } from "../leakage";
import { csvField, csvText, fileName } from "./reg_export";
import { paramWords } from "./reg_params";
import { leakageQuery, regulatorHash, regulatorRoute } from "./reg_route";
import { REGULATOR_WORDS } from "./regulator_words";

const param = (name: string, type: string, value: unknown): RuleParam => ({ name, type, default: value, description: "" });

afterEach(() => resetLang());

describe("the regulator's words", () => {
  it("have the same keys and placeholders in both languages", () => {
    const en = REGULATOR_WORDS.en;
    const zh = REGULATOR_WORDS["zh-CN"];
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    const holes = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? "").sort();
    for (const key of Object.keys(en) as Array<keyof typeof en>) expect(holes(zh[key]), key).toEqual(holes(en[key]));
  });
});

describe("rule parameters in words", () => {
  it("say days, working days, shares and lists, not JSON", () => {
    setLang("en");
    expect(paramWords({ id: "pre_scrap_separation" }, param("days", "int", 90))).toBe("window: removals up to 90 days before the scrapping");
    expect(paramWords({ id: "recycler_mass_balance" }, param("days", "int", 365))).toBe("period: 365 days up to as_of");
    expect(paramWords({ id: "dark_after_removal" }, param("limit_wd", "int", 30))).toBe("time limit: 30 working days");
    expect(paramWords({ id: "recycler_mass_balance" }, param("tolerance_share", "float", 0.02))).toBe("imbalance tolerated: 2 % of the input");
    const ceilings = paramWords({ id: "implausible_recovery" }, param("ceilings", "json", { lfp: { li: 0.02, co: 0.001 } }));
    expect(ceilings).toBe("highest plausible share of a pack's mass: LFP: Li ≤ 2 %, Co ≤ 0.1 %");
    expect(paramWords({ id: "late_report" }, param("by", "str", "event"))).toBe("one finding per late event");
    for (const shared of ["as_of", "province", "company", "since_from", "since_until"]) {
      expect(paramWords({ id: "late_report" }, param(shared, "str", null))).toBeNull();
    }
  });

  it("in Chinese too", () => {
    setLang("zh-CN");
    expect(paramWords({ id: "dark_after_removal" }, param("limit_wd", "int", 30))).toBe("时限：30 个工作日");
    expect(paramWords({ id: "silent_battery" }, param("service_life_years", "float", 8))).toBe("第一次使用：8 年无事件即为沉默");
  });
});

describe("CSV", () => {
  it("quotes what needs quoting and starts with a byte-order mark", () => {
    expect(csvField('say "hi", then go')).toBe('"say ""hi"", then go"');
    expect(csvField(null)).toBe("");
    expect(csvText(["a", "b"], [[1, "x\ny"]])).toBe('\ufeffa,b\r\n1,"x\ny"\r\n');
  });

  it("names files after what they hold", () => {
    expect(fileName(["leakage", "late_report", "330000", undefined, "from-2026-01-01"])).toBe("leakage-late_report-330000-from-2026-01-01.csv");
    expect(fileName(["cases", "开放"])).toBe("cases.csv");
  });
});

describe("the page's state in the hash", () => {
  it("goes there and back", () => {
    const route = regulatorRoute("late_report", new URLSearchParams("province=330000&as_of=2026-12-01&from=2026-01-01&to=2026-06-30"));
    expect(route.filter).toEqual({ province: "330000", asOf: "2026-12-01", from: "2026-01-01", to: "2026-06-30" });
    expect(regulatorHash(route)).toBe("#/regulator/late_report?province=330000&as_of=2026-12-01&from=2026-01-01&to=2026-06-30");
  });

  it("asks the API for whole days in China time", () => {
    const q = leakageQuery({ province: "330000", asOf: "2026-12-01", from: "2026-01-01", to: "2026-06-30" }, false);
    expect(q).toEqual({
      province: undefined,
      company: undefined,
      as_of: "2026-12-01T23:59:59.999+08:00",
      since_from: "2026-01-01T00:00:00+08:00",
      since_until: "2026-06-30T23:59:59.999+08:00",
    });
  });
});
