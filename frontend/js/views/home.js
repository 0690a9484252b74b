import { t } from "../i18n/index.js";
import { el } from "../dom.js";
import { currentMe, can } from "../session.js";

export function render(outlet) {
  const me = currentMe();
  // A staff member who does not run the school lands on their own page.
  if (me?.user.participant_id && !can("people:read")) {
    location.replace("#/me");
    return;
  }
  const actions = [];
  if (!me) {
    actions.push(el("a", { class: "button", href: "#/login" }, t("auth.login")));
  } else {
    if (me.user.participant_id) actions.push(el("a", { class: "button", href: "#/me" }, t("teacher.title")));
    if (can("sessions:read")) actions.push(el("a", { class: "button button-secondary", href: "#/sessions" }, t("nav.sessions")));
    if (can("people:read")) actions.push(el("a", { class: "button", href: "#/people" }, t("nav.people")));
    if (can("people:manage")) actions.push(el("a", { class: "button button-secondary", href: "#/import" }, t("nav.import")));
    actions.push(el("a", { class: "button button-secondary", href: "#/account" }, t("account.title")));
  }
  actions.push(el("a", { class: "button button-secondary", href: "#/status" }, t("home.status")));
  outlet.replaceChildren(
    el(
      "section",
      { class: "card" },
      el("h1", {}, t("home.title")),
      me ? el("p", { class: "greeting" }, t("home.hello", undefined, { name: me.user.display_name })) : null,
      el("p", { class: "lead" }, t("home.lead")),
      el("div", { class: "actions" }, ...actions),
    ),
  );
}
