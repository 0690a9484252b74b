// My account: who I am, my roles, and changing my password.
import { changePassword } from "../api/auth.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { roleLabel } from "../i18n/labels.js";
import { busy } from "../lib/busy.js";
import { currentMe } from "../session.js";
import { field, input, messageSlot, showMessage, reportError, clearFieldErrors } from "../ui.js";

export function render(outlet) {
  const me = currentMe();
  const current = input({ name: "current_password", type: "password", autocomplete: "current-password" });
  const next = input({ name: "new_password", type: "password", autocomplete: "new-password", minlength: "8" });
  // Typed twice: a typo in a password nobody sees would lock its owner out.
  const again = input({ name: "new_password_again", type: "password", autocomplete: "new-password" });
  const alert = messageSlot("error");
  const done = messageSlot("status");
  const submit = el("button", { type: "submit", class: "button" }, t("account.change"));
  const form = el(
    "form",
    { class: "stack", novalidate: true },
    field({ label: t("account.current"), input: current, required: true }),
    field({ label: t("reset.newPassword"), input: next, hint: t("password.hint"), required: true }),
    field({ label: t("account.again"), input: again, required: true }),
    alert,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showMessage(alert, "");
    showMessage(done, "");
    clearFieldErrors(form);
    if (next.value !== again.value) {
      reportError(form, alert, { fieldErrors: [{ field: "body.new_password_again", type: "password_mismatch", message: "" }], message: "" });
      return;
    }
    await busy(submit, async () => {
      try {
        await changePassword(current.value, next.value);
        form.reset();
        showMessage(done, t("account.changed"));
      } catch (error) {
        reportError(form, alert, error);
      }
    });
  });
  outlet.replaceChildren(
    el(
      "section",
      { class: "card narrow" },
      el("h1", {}, t("account.title")),
      el(
        "dl",
        { class: "facts" },
        el("dt", {}, t("account.name")),
        el("dd", {}, me.user.display_name),
        el("dt", {}, t("login.username")),
        el("dd", {}, me.user.username),
        el("dt", {}, t("account.roles")),
        el("dd", {}, me.roles.map((r) => `${r.organization_name} (${roleLabel(r.role)})`).join("; ") || "—"),
      ),
    ),
    el("section", { class: "card narrow" }, el("h2", {}, t("account.passwordTitle")), form, done),
  );
}
