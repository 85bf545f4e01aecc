// Province-level divisions of GB/T 2260 by code, so regulators read names rather than codes.

const PROVINCES: Record<string, string> = {
  "110000": "Beijing",
  "120000": "Tianjin",
  "130000": "Hebei",
  "140000": "Shanxi",
  "150000": "Inner Mongolia",
  "210000": "Liaoning",
  "220000": "Jilin",
  "230000": "Heilongjiang",
  "310000": "Shanghai",
  "320000": "Jiangsu",
  "330000": "Zhejiang",
  "340000": "Anhui",
  "350000": "Fujian",
  "360000": "Jiangxi",
  "370000": "Shandong",
  "410000": "Henan",
  "420000": "Hubei",
  "430000": "Hunan",
  "440000": "Guangdong",
  "450000": "Guangxi",
  "460000": "Hainan",
  "500000": "Chongqing",
  "510000": "Sichuan",
  "520000": "Guizhou",
  "530000": "Yunnan",
  "540000": "Tibet",
  "610000": "Shaanxi",
  "620000": "Gansu",
  "630000": "Qinghai",
  "640000": "Ningxia",
  "650000": "Xinjiang",
  "710000": "Taiwan",
  "810000": "Hong Kong",
  "820000": "Macao",
};

/** "Zhejiang (330000)" for a province code; prefecture codes (e.g. 330100) name their province. */
export function provinceName(code: string | null | undefined): string {
  if (!code) return "unknown";
  const name = PROVINCES[code] ?? PROVINCES[`${code.slice(0, 2)}0000`];
  return name ? `${name} (${code})` : code;
}
