// What the main area shows between screens, or instead of one: loading, no access, and a
// screen whose code could not be fetched. Loaded with the app itself, so that it still draws
// when the network is gone.
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { currentRole } from "../session.js";

function titled(title) {
  document.title = `${title} — Lan Tỏa`;
}

// Shown at once when the route changes, until the screen draws itself.
export function showLoading(outlet) {
  outlet.setAttribute("aria-busy", "true");
  outlet.replaceChildren(el("p", { class: "route-loading muted", role: "status" }, t("app.loading")));
}

export function doneLoading(outlet) {
  outlet.removeAttribute("aria-busy");
}

// A screen the caller's role does not open (a manager on the audit log): said, not skipped.
export function showDenied(outlet) {
  doneLoading(outlet);
  titled(t("denied.title"));
  const org = currentRole()?.organization_name;
  outlet.replaceChildren(
    el(
      "section",
      { class: "card route-state" },
      el("h1", {}, t("denied.title")),
      el("p", {}, org ? t("denied.bodyOrg", { org }) : t("denied.body")),
      el("div", { class: "actions" }, el("a", { class: "button", href: "#/" }, t("denied.home"))),
    ),
  );
}

// The screen's module did not load: offline, or a new version replaced the files.
export function showLoadFailed(outlet) {
  doneLoading(outlet);
  titled(t("loadFailed.title"));
  const reload = el("button", { type: "button", class: "button" }, t("loadFailed.reload"));
  reload.addEventListener("click", () => location.reload());
  outlet.replaceChildren(
    el(
      "section",
      { class: "card route-state", role: "alert" },
      el("h1", {}, t("loadFailed.title")),
      el("p", {}, navigator.onLine === false ? t("loadFailed.offline") : t("loadFailed.body")),
      el("div", { class: "actions" }, reload),
    ),
  );
}
