import { afterEach, describe, expect, it, vi } from "vitest";
import { formatDate, formatTime } from "./dom";
import { CATALOGUE, chooseLang, currentLang, isKey, LANGS, type MessageKey, resetLang, setLang, t, translate } from "./i18n";
import { PROVINCES, provinceName } from "./provinces";
import { RULES_ZH } from "./rules_zh";
import apiProvinces from "../../app/identifiers/provinces.json";
import indexHtml from "../index.html?raw";

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? "").sort();

afterEach(() => {
  vi.unstubAllGlobals();
  resetLang();
});

describe("the catalogue", () => {
  const keys = Object.keys(CATALOGUE.en) as MessageKey[];

  it("has every key in both languages, and nothing else", () => {
    for (const lang of LANGS) expect(Object.keys(CATALOGUE[lang]).sort()).toEqual([...keys].sort());
  });

  it("has words for every key in both languages", () => {
    for (const lang of LANGS) {
      for (const key of keys) expect(CATALOGUE[lang][key].trim(), `${lang} ${key}`).not.toBe("");
    }
  });

  it("has the same placeholders in both languages", () => {
    for (const key of keys) expect(placeholders(CATALOGUE["zh-CN"][key]), key).toEqual(placeholders(CATALOGUE.en[key]));
  });

  it("really translates: Chinese text in the Chinese table", () => {
    const same = keys.filter((k) => CATALOGUE["zh-CN"][k] === CATALOGUE.en[k]);
    expect(same).toEqual([]);
    // Every Chinese entry holds Chinese: a Han character or, for a separator, CJK punctuation.
    const chinese = /[\p{Script=Han}\u3000-\u303f]/u;
    expect(keys.filter((k) => !chinese.test(CATALOGUE["zh-CN"][k]))).toEqual([]);
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(translate("en", "vehicle.title", { vin: "LSV123" })).toBe("Vehicle LSV123");
    expect(translate("zh-CN", "vehicle.title", { vin: "LSV123" })).toBe("车辆 LSV123");
    expect(translate("en", "vehicle.title")).toBe("Vehicle {vin}");
  });

  it("knows every word index.html asks for", () => {
    const asked = [...indexHtml.matchAll(/data-i18n="([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(asked.length).toBeGreaterThan(5);
    expect(asked.filter((k) => !isKey(k))).toEqual([]);
  });

  it("has every rule's four texts in Chinese", () => {
    for (const [id, words] of Object.entries(RULES_ZH)) {
      for (const text of Object.values(words)) expect(text.trim(), id).not.toBe("");
    }
  });
});

describe("the language chosen", () => {
  it("reads Chinese for any zh tag and English otherwise", () => {
    expect(chooseLang(["zh-CN", "en"])).toBe("zh-CN");
    expect(chooseLang(["zh"])).toBe("zh-CN");
    expect(chooseLang(["zh-TW"])).toBe("zh-CN");
    expect(chooseLang(["ZH-hans-CN"])).toBe("zh-CN");
    expect(chooseLang(["en-US", "zh-CN"])).toBe("en");
    expect(chooseLang(["fr-FR", "zh-CN"])).toBe("zh-CN"); // the first language we have
    expect(chooseLang(["fr-FR", "de"])).toBe("en");
    expect(chooseLang([])).toBe("en");
    expect(chooseLang(["zhx"])).toBe("en"); // not a zh tag
  });

  it("follows the browser's languages when nothing was chosen", () => {
    vi.stubGlobal("navigator", { languages: ["zh-CN", "zh"], language: "zh-CN" });
    vi.stubGlobal("localStorage", memoryStorage());
    expect(currentLang()).toBe("zh-CN");
    expect(t("nav.battery")).toBe("电池");
  });

  it("remembers a choice over the browser's languages", () => {
    const storage = memoryStorage();
    vi.stubGlobal("navigator", { languages: ["zh-CN"], language: "zh-CN" });
    vi.stubGlobal("localStorage", storage);
    setLang("en");
    resetLang(); // as a new page load would
    expect(currentLang()).toBe("en");
    expect(storage.getItem("batterytrace.lang")).toBe("en");
    storage.setItem("batterytrace.lang", "klingon"); // not ours: the browser decides again
    resetLang();
    expect(currentLang()).toBe("zh-CN");
  });

  it("falls back to English without navigator or storage (Node)", () => {
    vi.stubGlobal("navigator", undefined);
    vi.stubGlobal("localStorage", undefined);
    expect(currentLang()).toBe("en");
  });
});

describe("dates and provinces in the language shown", () => {
  it("shows an instant in China Standard Time", () => {
    setLang("zh-CN");
    expect(formatTime("2021-03-15T01:02:03Z")).toBe("2021/03/15 09:02:03");
    expect(formatTime("2021-03-15T23:30:00+08:00")).toBe("2021/03/15 23:30:00");
    expect(formatDate("2021-03-15T20:00:00Z")).toBe("2021/03/16"); // already the 16th in China
    expect(formatDate("2021-03-15")).toBe("2021/03/15");
    setLang("en");
    expect(formatTime("2021-03-15T01:02:03Z")).toBe("Mar 15, 2021, 09:02:03");
    expect(formatDate("2021-03-15")).toBe("Mar 15, 2021");
    expect(formatTime("not a time")).toBe("not a time");
    expect(formatTime(null)).toBe("—");
  });

  it("names provinces from the API's own GB/T 2260 table", () => {
    // The same file the API serves at GET /v1/vocabularies, read here as the test sees it.
    expect(PROVINCES).toEqual(apiProvinces.provinces);
    expect(apiProvinces.provinces.find((p) => p.code === "330000")?.zh).toBe("浙江省");
    expect(PROVINCES.length).toBe(34);
    setLang("zh-CN");
    expect(provinceName("330000")).toBe("浙江省 (330000)");
    expect(provinceName("330100")).toBe("浙江省 (330100)"); // a prefecture names its province
    expect(provinceName("990000")).toBe("990000");
    setLang("en");
    expect(provinceName("440000")).toBe("Guangdong (440000)");
    expect(provinceName(null)).toBe("unknown");
  });
});

function memoryStorage(): Storage {
  const data = new Map<string, string>();
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, String(v)),
  };
}
