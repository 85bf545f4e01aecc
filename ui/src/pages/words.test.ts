import { afterEach, describe, expect, it } from "vitest";
import { resetLang, setLang } from "../i18n";
import { toCsv } from "./files";
import { routeFor } from "./battery";
import { w, WORDS, type WordKey } from "./words";

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? "").sort();
const keys = Object.keys(WORDS.en) as WordKey[];

afterEach(() => resetLang());

describe("the pages' words", () => {
  it("has every key in both languages, each with words and the same placeholders", () => {
    expect(Object.keys(WORDS["zh-CN"]).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      expect(WORDS.en[key].trim(), key).not.toBe("");
      expect(placeholders(WORDS["zh-CN"][key]), key).toEqual(placeholders(WORDS.en[key]));
    }
  });

  it("really translates: Chinese in every Chinese entry, none the same as the English", () => {
    const chinese = /[\p{Script=Han}\u3000-\u303f]/u;
    expect(keys.filter((k) => !chinese.test(WORDS["zh-CN"][k]))).toEqual([]);
    expect(keys.filter((k) => WORDS["zh-CN"][k] === WORDS.en[k])).toEqual([]);
  });

  it("fills placeholders in the language shown", () => {
    setLang("en");
    expect(w("ev.shown", { n: 3, total: 37 })).toBe("3 of 37 events shown");
    setLang("zh-CN");
    expect(w("ev.shown", { n: 3, total: 37 })).toBe("显示 3 / 37 条事件");
  });
});

describe("the search box", () => {
  it("opens a whole code or VIN, and searches for anything else", () => {
    expect(routeFor("lsv000017r0000001")).toBe("#/vehicle/LSV000017R0000001");
    expect(routeFor(" CATPB01TRACE01D5H0000001 ")).toBe("#/battery/CATPB01TRACE01D5H0000001");
    expect(routeFor("CATPB01 TRACE01 D5H0000001")).toBe("#/battery/CATPB01TRACE01D5H0000001");
    expect(routeFor("0000001")).toBe("#/search?q=0000001");
    expect(routeFor("宁德 时代")).toBe(`#/search?q=${encodeURIComponent("宁德 时代")}`);
    expect(routeFor("   ")).toBe("#/battery");
  });
});

describe("CSV", () => {
  it("quotes what needs quoting and ends lines with CRLF", () => {
    expect(toCsv(["a", "b"], [["x,y", 'say "hi"'], [null, 3]])).toBe('a,b\r\n"x,y","say ""hi"""\r\n,3\r\n');
  });
});
