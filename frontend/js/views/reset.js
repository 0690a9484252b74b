// Set a new password with the one-time code the school admin handed over.
import { resetPassword } from "../api/auth.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { field, input, messageSlot, showMessage, reportError } from "../ui.js";

export function render(outlet) {
  const username = input({ name: "username", autocomplete: "username", autocapitalize: "none" });
  const code = input({ name: "reset_code", autocomplete: "one-time-code", autocapitalize: "characters" });
  const password = input({ name: "new_password", type: "password", autocomplete: "new-password", minlength: "8" });
  const alert = messageSlot("error");
  const done = messageSlot("status");
  const submit = el("button", { type: "submit", class: "button button-wide" }, t("reset.submit"));
  const form = el(
    "form",
    { class: "stack", novalidate: true },
    field({ label: t("login.username"), input: username, required: true }),
    field({ label: t("reset.code"), input: code, required: true }),
    field({ label: t("reset.newPassword"), input: password, hint: t("password.hint"), required: true }),
    alert,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showMessage(alert, "");
    done.replaceChildren();
    await busy(submit, async () => {
      try {
        await resetPassword(username.value.trim(), code.value.trim(), password.value);
        form.reset();
        done.replaceChildren(
          el("p", { class: "notice notice-success" }, t("reset.done"), " ", el("a", { href: "#/login" }, t("auth.login"))),
        );
      } catch (error) {
        if (error.status === 401 || error.status === 404) showMessage(alert, t("reset.bad"));
        else reportError(form, alert, error);
      }
    });
  });
  outlet.replaceChildren(
    el("section", { class: "card narrow" }, el("h1", {}, t("reset.title")), el("p", { class: "muted" }, t("reset.lead")), form, done),
  );
}
