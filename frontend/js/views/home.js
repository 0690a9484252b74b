import { t } from "../i18n/index.js";
import { el } from "../dom.js";
import { currentMe, can } from "../session.js";
import { rememberedLink } from "../api/links.js";

export function render(outlet) {
  const me = currentMe();
  // A staff member who does not run the school lands on their own page.
  if (me?.user.participant_id && !can("people:read")) {
    location.replace("#/me");
    return;
  }
  const actions = [];
  let linkHint = null;
  if (!me) {
    // A teacher who came by her personal link has no password: offer her page back first.
    const token = rememberedLink();
    if (token) {
      actions.push(el("a", { class: "button", href: `#/l/${token}` }, t("home.openMyLink")));
      linkHint = el("p", { class: "small muted" }, t("home.linkHint"));
    }
    actions.push(el("a", { class: token ? "button button-secondary" : "button", href: "#/login" }, t("auth.login")));
  } else {
    if (me.user.participant_id) actions.push(el("a", { class: "button", href: "#/me" }, t("teacher.title")));
    if (can("reports:read")) actions.push(el("a", { class: "button", href: "#/reports" }, t("nav.reports")));
    if (can("plans:read")) actions.push(el("a", { class: "button button-secondary", href: "#/plans" }, t("nav.plans")));
    if (can("sessions:read")) actions.push(el("a", { class: "button button-secondary", href: "#/sessions" }, t("nav.sessions")));
    if (can("people:manage")) actions.push(el("a", { class: "button button-secondary", href: "#/people" }, t("nav.people")));
    if (can("people:manage")) actions.push(el("a", { class: "button button-secondary", href: "#/import" }, t("nav.import")));
    actions.push(el("a", { class: "button button-secondary", href: "#/account" }, t("account.title")));
  }
  outlet.replaceChildren(
    el(
      "section",
      { class: "card" },
      el("h1", {}, t("home.title")),
      me ? el("p", { class: "greeting" }, t("home.hello", { name: me.user.display_name })) : null,
      el("p", { class: "lead" }, t("home.lead")),
      el("div", { class: "actions" }, ...actions),
      linkHint,
    ),
  );
}
