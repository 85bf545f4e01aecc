// Closed values in the reader's language, as GET /v1/vocabularies names them (roles, reasons,
// licence scopes, warnings, chemistries): the server's tables are the ones its checks use, so the
// page cannot drift from them. Asked once; until it answers (or without a key) the value shows.

import { getJson } from "./api";
import { currentLang } from "./i18n";

export type VocabKind =
  | "chemistries"
  | "vehicle_categories"
  | "removal_reasons"
  | "correction_reasons"
  | "health_methods"
  | "second_life_applications"
  | "licence_scopes"
  | "company_roles"
  | "warnings";

interface Term {
  name: string;
  zh: string;
  en: string;
}

type Doc = Partial<Record<VocabKind, Term[]>>;

const terms = new Map<string, Term>();
let asked: Promise<void> | null = null;

/** Ask the API once; a failure is forgotten so the next page (maybe with a key) asks again. */
export function loadVocabularies(): Promise<void> {
  asked ??= getJson<Doc>("/v1/vocabularies")
    .then((doc) => {
      for (const [kind, list] of Object.entries(doc)) {
        if (Array.isArray(list)) for (const term of list) terms.set(`${kind}:${term.name}`, term);
      }
    })
    .catch(() => {
      asked = null;
    });
  return asked;
}

/** The value's name in the language shown, else the value with spaces. */
export function vocab(kind: VocabKind, value: string | null | undefined): string {
  if (!value) return "—";
  const found = terms.get(`${kind}:${value}`);
  if (found) return currentLang() === "zh-CN" ? found.zh : found.en;
  return value.replaceAll("_", " ");
}
