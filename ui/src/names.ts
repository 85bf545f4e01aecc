// Names for the codes the answers carry bare (a USCC in an event's details, a station id): each
// asked once from the registry (GET /v1/companies/{uscc}, GET /v1/stations/{id}) and filled into
// the page afterwards, with the code kept on hover, so a slow or refused look-up costs nothing.

import { getOptional } from "./api";

type Kind = "company" | "station";

const cache = new Map<string, Promise<string | null>>();

function lookUp(kind: Kind, code: string): Promise<string | null> {
  const key = `${kind}:${code}`;
  let hit = cache.get(key);
  if (!hit) {
    const path = kind === "company" ? `/v1/companies/${encodeURIComponent(code)}` : `/v1/stations/${encodeURIComponent(code)}`;
    hit = getOptional<{ name?: string | null }>(path)
      .then((r) => r?.name ?? null)
      .catch(() => null);
    cache.set(key, hit);
  }
  return hit;
}

export function companyName(uscc: string): Promise<string | null> {
  return lookUp("company", uscc);
}

export function stationName(id: string): Promise<string | null> {
  return lookUp("station", id);
}

/** A code in the page that names itself once the registry answers: `data-uscc` or `data-station`. */
export function namedCode(kind: Kind, code: string): HTMLElement {
  const el = document.createElement("span");
  el.className = "code named";
  el.dataset[kind === "company" ? "uscc" : "station"] = code;
  el.textContent = code;
  return el;
}

/** Put names on every not yet named code under `root`: the name shown, the code on hover. */
export async function fillNames(root: ParentNode): Promise<void> {
  const pending = [...root.querySelectorAll<HTMLElement>("span.named:not([data-filled])")];
  await Promise.all(
    pending.map(async (el) => {
      el.dataset["filled"] = "1";
      const uscc = el.dataset["uscc"];
      const station = el.dataset["station"];
      const code = uscc ?? station ?? "";
      const name = uscc ? await companyName(uscc) : station ? await stationName(station) : null;
      if (!name) return;
      el.textContent = name;
      el.title = code;
      el.classList.remove("code");
    }),
  );
}

export function forgetNames(): void {
  cache.clear();
}
