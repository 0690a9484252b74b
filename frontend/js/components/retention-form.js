// How long the organisation keeps the data of people who left (years after they left; empty:
// never): its own setting, or the one it inherits from above. The daily job anonymises those
// past it; admins (people:manage) change it, others read it.
import { clearRetention, getRetention, setRetention } from "../api/orgs.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { field, input, messageSlot, showMessage, reportError } from "../ui.js";

function describe(policy) {
  if (policy.inactive_years == null) return t("retention.never");
  const years = t("retention.years", { n: policy.inactive_years });
  return policy.source === "inherited" ? `${years} ${t("retention.inherited")}` : `${years}.`;
}

export function retentionCard(orgId, mayEdit) {
  const now = el("p", { class: "muted" });
  const years = input({ name: "inactive_years", type: "number", min: "1", max: "100", inputmode: "numeric" });
  const alert = messageSlot("error");
  const saved = messageSlot("status");
  const submit = el("button", { type: "submit", class: "button" }, t("form.save"));
  // Its own setting can be dropped, so that it follows the level above again.
  const inherit = el("button", { type: "button", class: "button button-secondary", hidden: true }, t("retention.inherit"));
  const form = el(
    "form",
    { class: "inline-form", novalidate: true },
    field({ label: t("retention.label"), input: years, hint: t("retention.hint") }),
    submit,
    inherit,
    alert,
    saved,
  );
  const show = (policy) => {
    now.textContent = describe(policy);
    years.value = policy.source === "organization" && policy.inactive_years != null ? String(policy.inactive_years) : "";
    inherit.hidden = policy.source !== "organization";
  };
  const save = (button, request) =>
    busy(button, async () => {
      showMessage(alert, "");
      showMessage(saved, "");
      try {
        show(await request());
        showMessage(saved, t("form.saved"));
      } catch (error) {
        reportError(form, alert, error);
      }
    });
  inherit.addEventListener("click", () => save(inherit, () => clearRetention(orgId)));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    save(submit, () => setRetention(orgId, years.value.trim() === "" ? null : Number(years.value)));
  });
  getRetention(orgId).then(show, (error) => showMessage(alert, error.message));
  return el(
    "section",
    { class: "subcard", "aria-labelledby": "retention-title" },
    el("h2", { id: "retention-title" }, t("retention.title")),
    now,
    mayEdit ? form : alert,
  );
}
