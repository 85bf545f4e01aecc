// Province-level divisions of GB/T 2260 by code, so people read names rather than codes. The table
// is the API's own (app/identifiers/provinces.json, behind GET /v1/vocabularies), bundled at build
// time: one table for both, and names on the page before any request has answered.

import table from "../../app/identifiers/provinces.json";
import { currentLang, t } from "./i18n";

export interface Province {
  code: string;
  zh: string;
  en: string;
}

export const PROVINCES: readonly Province[] = table.provinces;
const BY_CODE = new Map(PROVINCES.map((p) => [p.code, p]));

/** The province of a code; prefecture and county codes (e.g. 330100) name their province. */
export function province(code: string | null | undefined): Province | undefined {
  if (!code) return undefined;
  return BY_CODE.get(code) ?? BY_CODE.get(`${code.slice(0, 2)}0000`);
}

/** The bare name in the language shown ("浙江省" / "Zhejiang"), or the code when unknown. */
export function provinceLabel(code: string): string {
  const p = province(code);
  if (!p) return code;
  return currentLang() === "zh-CN" ? p.zh : p.en;
}

/** "浙江省 (330000)" / "Zhejiang (330000)": the name with its code beside it. */
export function provinceName(code: string | null | undefined): string {
  if (!code) return t("common.unknown");
  return province(code) ? `${provinceLabel(code)} (${code})` : code;
}
