// Entry point: hash routes (so the API's static mount needs no fallback), the key box, the pages.

import "./style.css";
import { getApiKey, setApiKey } from "./api";
import { currentLang, isKey, type Lang, LANGS, setLang, t } from "./i18n";
import { forgetLeakageCache } from "./leakage";
import { forgetNames } from "./names";
import { analystExtras, renderAnalyst } from "./pages/analyst";
import { renderBattery } from "./pages/battery";
import { renderCompany } from "./pages/company";
import { renderPublic } from "./pages/public";
import { regulatorRoute, renderRegulator } from "./pages/regulator";
import { renderHome, renderSearch } from "./pages/search";
import { renderVehicle } from "./pages/vehicle";
import { loadVocabularies } from "./vocab";

function app(): HTMLElement {
  const el = document.getElementById("app");
  if (!el) throw new Error("#app missing from index.html");
  return el;
}

let generation = 0;

async function route(): Promise<void> {
  const hash = location.hash;
  const raw = hash.replace(/^#\/?/, "");
  const [path = "", qs = ""] = raw.split("?", 2);
  const parts = path.split("/").map(decodeURIComponent);
  const page = parts[0] || "battery";
  for (const a of document.querySelectorAll<HTMLAnchorElement>("nav a")) {
    a.classList.toggle("active", a.dataset["nav"] === (page === "vehicle" || page === "search" ? "battery" : page));
  }
  // Each visit renders into its own element: a slow answer for a page the user already left
  // then lands in a detached node instead of overwriting the page now shown.
  const mine = ++generation;
  const root = app();
  const view = document.createElement("div");
  view.className = "view";
  root.replaceChildren(view);
  root.dataset["page"] = page;
  root.setAttribute("aria-busy", "true");
  try {
    await loadVocabularies(); // names of closed values; the pages still render if it fails
    switch (page) {
      case "battery":
        await (parts[1] ? renderBattery(view, parts[1]) : renderHome(view, new URLSearchParams(qs)));
        break;
      case "company":
        await renderCompany(view, new URLSearchParams(qs).get("company"));
        break;
      case "search":
        await renderSearch(view, new URLSearchParams(qs).get("q") ?? "");
        break;
      case "vehicle":
        await renderVehicle(view, parts[1] ?? "");
        break;
      case "regulator": {
        await renderRegulator(view, regulatorRoute(parts[1], new URLSearchParams(qs)));
        break;
      }
      case "analyst": {
        const q = new URLSearchParams(qs);
        await renderAnalyst(view, {
          network: q.get("network") === "swaps" ? "swaps" : "custody",
          weight: q.get("weight") === "kg" ? "kg" : "batteries",
          province: q.get("province") ?? undefined,
          ...analystExtras(q),
        });
        break;
      }
      case "public": await renderPublic(view, new URLSearchParams(qs)); break; // no key needed
      default:
        location.hash = "#/battery";
    }
  } finally {
    if (mine === generation) {
      // The browser tests wait for these: the page for this hash has all its data (graphs and
      // the timeline draw on the next animation frame).
      root.dataset["rendered"] = hash || "#/battery";
      root.setAttribute("aria-busy", "false");
    }
  }
}

let showKeyState: () => void = () => undefined;

/** The header's fixed words (index.html marks them with data-i18n) in the language shown. */
function translateStatic(): void {
  const lang = currentLang();
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll<HTMLElement>("[data-i18n]")) {
    const key = el.dataset["i18n"] ?? "";
    if (isKey(key)) el.textContent = t(key);
  }
  for (const b of document.querySelectorAll<HTMLButtonElement>("#lang-switch button")) {
    b.setAttribute("aria-pressed", String(b.dataset["lang"] === lang));
  }
  showKeyState();
}

function languageSwitch(): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>("#lang-switch button")) {
    b.addEventListener("click", () => {
      const lang = b.dataset["lang"] as Lang;
      if (!LANGS.includes(lang) || lang === currentLang()) return;
      setLang(lang);
      translateStatic();
      void route(); // the page again, in the other language
    });
  }
}

function keyBox(): void {
  const form = document.getElementById("key-form") as HTMLFormElement | null;
  const input = document.getElementById("api-key") as HTMLInputElement | null;
  const state = document.getElementById("key-state");
  const clear = document.getElementById("key-clear");
  if (!form || !input || !state || !clear) return;
  const show = (): void => {
    const key = getApiKey();
    state.textContent = key ? t("key.saved", { tail: key.slice(-4) }) : t("key.none");
  };
  input.value = getApiKey();
  show();
  showKeyState = show;
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    setApiKey(input.value.trim());
    forgetLeakageCache();
    forgetNames();
    show();
    void route(); // re-ask with the new key
  });
  clear.addEventListener("click", () => {
    input.value = "";
    setApiKey("");
    forgetLeakageCache();
    forgetNames();
    show();
    void route();
  });
}

window.addEventListener("hashchange", () => void route());
keyBox();
languageSwitch();
translateStatic();
void route();
