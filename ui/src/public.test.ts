import { describe, expect, it } from "vitest";
import { CATALOGUE, isKey } from "./i18n";
import { publicRoute } from "./pages/public";

describe("the public page", () => {
  it("asks by the hash, leaving out what is empty", () => {
    expect(publicRoute({})).toBe("#/public");
    expect(publicRoute({ code: "CATPB01TRACE01D5H0000007", province: "" })).toBe("#/public?code=CATPB01TRACE01D5H0000007");
    expect(publicRoute({ code: "ABC", province: "440000" })).toBe("#/public?code=ABC&province=440000");
    expect(publicRoute({ uscc: "91 X&Y" })).toBe("#/public?uscc=91+X%26Y");
  });

  it("has words for every stage and level the API answers, in both languages", () => {
    for (const stage of ["in_use", "second_life", "recycled", "unknown"]) {
      expect(isKey(`pub.stage.${stage}`)).toBe(true);
      expect(CATALOGUE["zh-CN"][`pub.stage.${stage}` as keyof typeof CATALOGUE.en]).toMatch(/[\u4e00-\u9fff]/);
    }
    for (const level of ["pack", "module", "cell"]) expect(isKey(`pub.level.${level}`)).toBe(true);
  });
});
