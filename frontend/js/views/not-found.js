import { t } from "../i18n/index.js";
import { el } from "../dom.js";

export function render(outlet) {
  outlet.replaceChildren(
    el(
      "section",
      { class: "card" },
      el("h1", {}, t("notFound.title")),
      el("a", { class: "button", href: "#/" }, t("notFound.back")),
    ),
  );
}
