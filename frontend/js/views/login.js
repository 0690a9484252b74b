// Sign in with a username (staff code, email or phone) and a password.
import { login } from "../api/auth.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { currentQuery } from "../router.js";
import { rememberSignIn, landingPath } from "../session.js";
import { field, input, messageSlot, showMessage } from "../ui.js";

function waitText(seconds) {
  if (!seconds) return "";
  const minutes = Math.ceil(seconds / 60);
  return minutes > 1 ? t("login.waitMinutes", { n: minutes }) : t("login.waitSeconds", { n: seconds });
}

export function render(outlet) {
  const username = input({ name: "username", autocomplete: "username", autocapitalize: "none", spellcheck: "false" });
  const password = input({ name: "password", type: "password", autocomplete: "current-password" });
  const reveal = el("input", { type: "checkbox", id: "login-reveal" });
  reveal.addEventListener("change", () => (password.type = reveal.checked ? "text" : "password"));
  const alert = messageSlot("error");
  const submit = el("button", { type: "submit", class: "button button-wide" }, t("auth.login"));
  const form = el(
    "form",
    { class: "stack", novalidate: true },
    field({ label: t("login.username"), input: username, hint: t("login.usernameHint"), required: true }),
    field({ label: t("login.password"), input: password, required: true }),
    el("div", { class: "check" }, reveal, el("label", { for: "login-reveal" }, t("login.show"))),
    alert,
    submit,
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showMessage(alert, "");
    if (!username.value.trim() || !password.value) {
      showMessage(alert, t("login.missing"));
      (username.value.trim() ? password : username).focus();
      return;
    }
    await busy(submit, async () => {
      try {
        const result = await login(username.value.trim(), password.value);
        rememberSignIn(result.access_token, result.me);
        const next = currentQuery().get("next");
        const target = next && next.startsWith("/") && next !== "/login" ? next : landingPath();
        location.hash = `#${target}`;
      } catch (error) {
        let text = error.message;
        if (error.status === 401) text = t("login.wrong");
        if (error.status === 429) text = `${t("login.tooMany")} ${waitText(error.retryAfter)}`.trim();
        showMessage(alert, text);
        password.select();
        password.focus();
      }
    });
  });

  outlet.replaceChildren(
    el(
      "section",
      { class: "card narrow" },
      el("h1", {}, t("login.title")),
      el("p", { class: "muted" }, t("login.lead")),
      form,
      el("p", { class: "small" }, el("a", { href: "#/reset" }, t("login.haveCode"))),
    ),
  );
  username.focus();
}
