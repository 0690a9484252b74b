// The privacy notice: what is kept about a staff member, why, who sees it, for how long, and
// how to ask for a copy or a correction. Linked from her page; readable without signing in.
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { rememberedLink } from "../api/links.js";
import { signedIn } from "../session.js";

const SECTIONS = [
  ["privacy.what", "privacy.whatItems"],
  ["privacy.why", "privacy.whyItems"],
  ["privacy.who", "privacy.whoItems"],
  ["privacy.howLong", "privacy.howLongText"],
  ["privacy.rights", "privacy.rightsItems"],
  ["privacy.ask", "privacy.askText"],
  ["privacy.link", "privacy.linkText"],
];

function body(key) {
  const text = t(key);
  return key.endsWith("Items") ? el("ul", {}, text.split("\n").map((line) => el("li", {}, line))) : el("p", {}, text);
}

export function render(outlet) {
  document.title = `${t("privacy.title")} — Lan Tỏa`;
  const token = rememberedLink();
  const home = signedIn() ? "#/me" : token ? `#/l/${encodeURIComponent(token)}` : null;
  outlet.replaceChildren(
    el(
      "article",
      { class: "card narrow privacy" },
      home ? el("p", {}, el("a", { href: home }, t("privacy.back"))) : null,
      el("h1", {}, t("privacy.title")),
      el("p", {}, t("privacy.intro")),
      SECTIONS.flatMap(([heading, text]) => [
        el("h2", {}, t(heading)),
        body(text),
        // Where her copy is: the button on her record's screen.
        heading === "privacy.ask" && home ? el("p", {}, el("a", { href: `${home}/history` }, t("privacy.openRecord"))) : null,
      ]),
    ),
  );
}
