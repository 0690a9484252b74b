// Entry point: routes, navigation, language switch.
import { route, render, currentPath } from "./router.js";
import { t, lang, setLang, onLangChange, translateStatic } from "./i18n/index.js";
import { el } from "./dom.js";

route("/", () => import("./views/home.js"));
route("/status", () => import("./views/status.js"));

const outlet = document.getElementById("main");
const nav = document.getElementById("nav");
const langToggle = document.getElementById("lang-toggle");

function renderNav() {
  const path = currentPath();
  const links = [
    ["#/", "nav.home", "/"],
    ["#/status", "nav.status", "/status"],
  ];
  nav.replaceChildren(
    ...links.map(([href, key, p]) =>
      el("a", { href, "aria-current": path === p ? "page" : false }, t(key)),
    ),
  );
  nav.setAttribute("aria-label", t("nav.main"));
  langToggle.textContent = lang() === "vi" ? "EN" : "VI";
  langToggle.setAttribute("aria-label", t("lang.switchTo"));
  document.documentElement.lang = lang();
  translateStatic();
}

async function show() {
  renderNav();
  await render(outlet, () => import("./views/not-found.js"));
}

langToggle.addEventListener("click", () => setLang(lang() === "vi" ? "en" : "vi"));
onLangChange(show);
window.addEventListener("hashchange", () => {
  show();
  outlet.focus({ preventScroll: true });
});
show();
