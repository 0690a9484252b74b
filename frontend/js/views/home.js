import { t } from "../i18n/index.js";
import { el } from "../dom.js";

export function render(outlet) {
  outlet.replaceChildren(
    el(
      "section",
      { class: "card" },
      el("h1", {}, t("home.title")),
      el("p", { class: "lead" }, t("home.lead")),
      el("a", { class: "button", href: "#/status" }, t("home.status")),
    ),
  );
}
