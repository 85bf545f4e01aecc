// The public page (#/public): a battery code, a USCC or a province, answered in plain words with
// what to do, from the API's /public/ routes. No key is needed; a battery page opened without one
// (as a label's QR code opens it) leads here. Built for a phone first: one column, nothing wider
// than the screen.

import { ApiError, detailOf, withQuery } from "../api";
import { formatDate, h, notice } from "../dom";
import { currentLang, isKey, type MessageKey, t } from "../i18n";
import { PROVINCES, provinceLabel } from "../provinces";

interface Words {
  zh: string;
  en: string;
}
interface PublicTerm extends Words {
  name: string;
}
interface PublicProvince extends Words {
  code: string;
}
interface PublicLicence {
  scope: PublicTerm;
  batch: number | null;
  valid_from: string;
  valid_to: string | null;
}
interface PublicFirm {
  uscc: string;
  name: string;
  name_en: string | null;
  roles: PublicTerm[];
  licences: PublicLicence[];
}
interface RecyclersAnswer {
  province: PublicProvince;
  as_of: string;
  licensed: PublicFirm[];
  service_points: PublicFirm[];
  advice: Words;
}
interface LicenceAnswer {
  uscc: string;
  registered: boolean;
  name: string | null;
  name_en: string | null;
  province: PublicProvince | null;
  roles: PublicTerm[];
  licensed: boolean;
  licences: PublicLicence[];
  lapsed_on: string | null;
  service_point: boolean;
  as_of: string;
  advice: Words;
}
interface BatteryAnswer {
  code: string;
  valid: boolean;
  problem: string | null;
  decoded: {
    maker: { code: string; name: string | null };
    level: string;
    chemistry: PublicTerm;
    production_year: number;
    production_month: number;
    production_date: string | null;
    second_life_code: boolean;
  } | null;
  stage: "in_use" | "second_life" | "recycled" | "unknown";
  last_holder_licensed: boolean | null;
  advice: "hand_to_licensed" | "second_life_firm" | "nothing_to_do" | "check_code";
  advice_words: Words;
}

const STAGE_WORDS: Record<BatteryAnswer["stage"], MessageKey> = {
  in_use: "pub.stage.in_use",
  second_life: "pub.stage.second_life",
  recycled: "pub.stage.recycled",
  unknown: "pub.stage.unknown",
};

/** The words of a two-language value in the language shown. */
function said(w: Words): string {
  return currentLang() === "zh-CN" ? w.zh : w.en;
}

/** GET a public answer with no key at all (a key would change nothing, and need not leave the browser). */
async function ask<T>(path: string, query: Record<string, string> = {}): Promise<T> {
  const url = withQuery(path, query);
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json" } });
  } catch (err) {
    throw new ApiError(0, url, err instanceof Error ? err.message : String(err));
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    throw new ApiError(response.status, url, detailOf(body) || response.statusText);
  }
  return (await response.json()) as T;
}

function failure(err: unknown): HTMLElement {
  if (err instanceof ApiError && err.status === 429) return notice("error", t("pub.tooMany"), "public-error");
  const message = err instanceof ApiError ? err.explain() : String(err);
  return notice("error", message, "public-error");
}

/** The hash of this page asking for `query` (empty values left out). */
export function publicRoute(query: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) q.set(k, v);
  const qs = q.toString();
  return qs ? `#/public?${qs}` : "#/public";
}

function field(
  id: string,
  label: string,
  control: HTMLInputElement | HTMLSelectElement,
  button: string,
  onAsk: (value: string) => void,
): HTMLFormElement {
  const form = h(
    "form",
    { class: "public-ask", "data-testid": `ask-${id}` },
    h("label", { for: `public-${id}` }, label),
    h("div", { class: "public-row" }, control, h("button", { type: "submit" }, button)),
  );
  control.id = `public-${id}`;
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    onAsk(control.value.trim());
  });
  return form;
}

function provinceSelect(chosen: string | null): HTMLSelectElement {
  const select = h("select", {}, h("option", { value: "" }, t("pub.province.choose")));
  for (const p of PROVINCES) {
    select.append(h("option", { value: p.code, selected: p.code === chosen }, provinceLabel(p.code)));
  }
  return select;
}

/** A company's name in the language shown: the registered (usually Chinese) name, or its English one. */
function nameOf(firm: { name: string | null; name_en: string | null }): string {
  return (currentLang() === "en" ? (firm.name_en ?? firm.name) : firm.name) ?? "";
}

/** The other language's name, when the registry holds both and they differ. */
function otherName(firm: { name: string | null; name_en: string | null }): string | null {
  if (!firm.name_en || firm.name_en === firm.name) return null;
  return currentLang() === "en" ? firm.name : firm.name_en;
}

function licenceLine(lic: PublicLicence): string {
  const parts = [said(lic.scope)];
  if (lic.batch !== null) parts.push(t("pub.batch", { batch: lic.batch }));
  parts.push(
    lic.valid_to
      ? t("pub.valid", { from: formatDate(lic.valid_from), to: formatDate(lic.valid_to) })
      : t("pub.validOpen", { from: formatDate(lic.valid_from) }),
  );
  return parts.join(" · ");
}

function firmItem(firm: PublicFirm): HTMLElement {
  return h(
    "li",
    { class: "firm", "data-uscc": firm.uscc },
    h("strong", {}, nameOf(firm)),
    otherName(firm) ? h("div", { class: "small" }, otherName(firm)) : null,
    h("div", { class: "muted small" }, firm.roles.map(said).join(" / "), " · ", h("span", { class: "code" }, firm.uscc)),
    firm.licences.map((lic) => h("div", { class: "small" }, licenceLine(lic))),
  );
}

async function recyclersCard(province: string): Promise<HTMLElement> {
  const answer = await ask<RecyclersAnswer>("/public/recyclers", { province });
  const name = said(answer.province);
  return h(
    "section",
    { class: "card public-answer", "data-testid": "public-recyclers", "data-province": province },
    h("h2", {}, t("pub.recyclers.title", { province: name })),
    h("p", { class: "advice", "data-testid": "recyclers-advice" }, said(answer.advice)),
    answer.licensed.length ? h("ul", { class: "firms", "data-testid": "licensed" }, answer.licensed.map(firmItem)) : null,
    h("h3", {}, t("pub.points.title", { province: name })),
    answer.service_points.length
      ? h("ul", { class: "firms", "data-testid": "service-points" }, answer.service_points.map(firmItem))
      : h("p", { class: "muted" }, t("pub.points.none")),
    h("p", { class: "muted small" }, t("pub.asOf", { date: formatDate(answer.as_of) })),
  );
}

async function licenceCard(uscc: string): Promise<HTMLElement> {
  const answer = await ask<LicenceAnswer>(`/public/companies/${encodeURIComponent(uscc)}/licence`);
  const name = answer.registered ? nameOf(answer) : answer.uscc;
  const verdict = !answer.registered
    ? t("pub.licence.unregistered")
    : answer.licensed
      ? t("pub.licence.yes", { name })
      : answer.service_point
        ? t("pub.licence.point", { name })
        : t("pub.licence.no", { name });
  return h(
    "section",
    { class: "card public-answer", "data-testid": "public-licence", "data-licensed": String(answer.licensed) },
    h("h2", {}, t("pub.licence.title", { uscc: answer.uscc })),
    h("p", { class: "verdict", "data-testid": "licence-verdict" }, verdict),
    otherName(answer) ? h("p", { class: "muted" }, otherName(answer)) : null,
    answer.province ? h("p", { class: "muted" }, said(answer.province), " · ", answer.roles.map(said).join(" / ")) : null,
    answer.licences.length ? h("ul", { class: "plain" }, answer.licences.map((lic) => h("li", {}, licenceLine(lic)))) : null,
    answer.lapsed_on ? h("p", {}, t("pub.lapsed", { date: formatDate(answer.lapsed_on) })) : null,
    h("p", { class: "advice", "data-testid": "licence-advice" }, said(answer.advice)),
  );
}

function levelWord(level: string): string {
  const key = `pub.level.${level}`;
  return isKey(key) ? t(key) : level;
}

async function batteryCards(code: string, province: string | null): Promise<HTMLElement[]> {
  const answer = await ask<BatteryAnswer>(`/public/batteries/${encodeURIComponent(code)}`);
  const d = answer.decoded;
  const facts: HTMLElement[] = [];
  if (d) {
    const made = d.production_date
      ? formatDate(d.production_date)
      : `${d.production_year}-${String(d.production_month).padStart(2, "0")}`;
    const rows: Array<[string, string]> = [
      [t("pub.f.maker"), d.maker.name ?? t("pub.f.makerCode", { code: d.maker.code })],
      [t("pub.f.level"), levelWord(d.level)],
      [t("pub.f.chemistry"), said(d.chemistry)],
      [t("pub.f.produced"), made],
    ];
    facts.push(h("dl", { class: "kv public-facts", "data-testid": "decoded" }, rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])));
    if (d.second_life_code) facts.push(h("p", { class: "muted" }, t("pub.f.secondLifeCode")));
  } else {
    facts.push(notice("info", t("pub.battery.invalid", { problem: answer.problem ?? "" }), "code-problem"));
  }
  const holder = answer.last_holder_licensed;
  const card = h(
    "section",
    {
      class: "card public-answer",
      "data-testid": "public-battery",
      "data-stage": answer.stage,
      "data-advice": answer.advice,
    },
    h("h2", {}, t("pub.battery.title", { code: answer.code })),
    ...facts,
    h("p", { class: "verdict", "data-testid": "stage" }, t(STAGE_WORDS[answer.stage])),
    holder === null ? null : h("p", { "data-testid": "holder" }, t(holder ? "pub.holder.true" : "pub.holder.false")),
    h("h3", {}, t("pub.advice.title")),
    h("p", { class: "advice", "data-testid": "advice" }, said(answer.advice_words)),
  );
  const cards: HTMLElement[] = [card];
  if (answer.advice === "hand_to_licensed" || answer.advice === "second_life_firm") {
    const select = provinceSelect(province);
    card.append(
      field("where", t("pub.where"), select, t("pub.list"), (p) => {
        location.hash = publicRoute({ code: answer.code, province: p });
      }),
    );
    if (province) cards.push(await recyclersCard(province));
  }
  return cards;
}

/** The page: three questions, and the answer to the one the hash asks. */
export async function renderPublic(root: HTMLElement, query: URLSearchParams): Promise<void> {
  const code = query.get("code");
  const uscc = query.get("uscc");
  const province = query.get("province");
  const codeInput = h("input", {
    type: "text",
    value: code ?? "",
    placeholder: t("pub.code.placeholder"),
    autocomplete: "off",
    spellcheck: "false",
    autocapitalize: "characters",
    class: "code",
  });
  const usccInput = h("input", {
    type: "text",
    value: uscc ?? "",
    placeholder: t("pub.uscc.placeholder"),
    autocomplete: "off",
    spellcheck: "false",
    autocapitalize: "characters",
    class: "code",
  });
  const answers = h("div", { class: "public-answers", "data-testid": "public-answers" });
  root.replaceChildren(
    h(
      "div",
      { class: "public-page" },
      h("h1", {}, t("pub.title")),
      h("p", { class: "muted" }, t("pub.intro")),
      h(
        "div",
        { class: "card public-questions" },
        field("code", t("pub.code.label"), codeInput, t("pub.ask"), (v) => (location.hash = publicRoute({ code: v }))),
        field("uscc", t("pub.uscc.label"), usccInput, t("pub.ask"), (v) => (location.hash = publicRoute({ uscc: v }))),
        field("province", t("pub.province.label"), provinceSelect(code ? null : province), t("pub.ask"), (v) => {
          location.hash = publicRoute({ province: v });
        }),
      ),
      answers,
    ),
  );
  try {
    if (code) answers.append(...(await batteryCards(code, province)));
    else if (uscc) answers.append(await licenceCard(uscc));
    else if (province) answers.append(await recyclersCard(province));
  } catch (err) {
    answers.append(failure(err));
  }
}

/** For a battery page that needs a key the visitor does not have: the way to the public answer. */
export function publicLead(code: string): HTMLElement {
  return h(
    "div",
    { class: "notice info", "data-testid": "public-lead" },
    h("p", {}, t("pub.lead")),
    h("a", { href: publicRoute({ code }), class: "code" }, t("pub.lead.link", { code })),
  );
}
