// A unit leader's digest: who in the units they lead is behind, per plan, with the list to chase.
import { myDigest } from "../api/reminders.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { messageSlot, showMessage, pageHeader } from "../ui.js";

export async function render(outlet) {
  const alert = messageSlot("error");
  const body = el("div", {});
  outlet.replaceChildren(el("section", { class: "card" }, pageHeader(t("digest.title")), el("p", { class: "hint" }, t("digest.hint")), alert, body));
  try {
    const entries = await myDigest();
    body.replaceChildren(
      ...(entries.length
        ? entries.map((entry) =>
            el(
              "section",
              { class: "digest-entry" },
              el("h2", {}, `${entry.unit_name} — ${entry.plan_title}`),
              el("ul", {}, ...entry.behind.map((line) => el("li", {}, line))),
              el("a", { class: "button button-secondary", href: entry.link }, t("digest.open")),
            ),
          )
        : [el("p", { class: "empty" }, t("digest.none"))]),
    );
  } catch (error) {
    showMessage(alert, error.message, "error");
  }
}
