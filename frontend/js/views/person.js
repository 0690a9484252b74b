// One staff member: details, units, active state, and their login (create, reset code, role).
import {
  getParticipant,
  createParticipant,
  updateParticipant,
  activate,
  deactivate,
  anonymize,
  createAccount,
} from "../api/participants.js";
import { listUnits } from "../api/units.js";
import { listRoles, issueReset, setRole } from "../api/auth.js";
import { activeBadge } from "../components/badges.js";
import { transferPanel } from "../components/transfer-panel.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { roleLabel } from "../i18n/labels.js";
import { busy } from "../lib/busy.js";
import { formatDate, formatDateTime } from "../lib/format.js";
import { currentQuery, replaceQuery } from "../router.js";
import { orgId, can } from "../session.js";
import { field, input, select, nextId, messageSlot, showMessage, reportError, confirmAction, loading } from "../ui.js";

const ROLES = ["member", "viewer", "manager", "admin"];

function detailsForm(person, units, mayEdit) {
  const value = (key) => person?.[key] ?? "";
  const fullName = input({ name: "full_name", value: value("full_name"), autocomplete: "off", maxlength: "200" });
  const staffCode = input({ name: "staff_code", value: value("staff_code"), autocomplete: "off", autocapitalize: "characters", maxlength: "50" });
  const position = input({ name: "position", value: value("position"), maxlength: "120" });
  const email = input({ name: "email", type: "email", value: value("email"), autocomplete: "off", inputmode: "email" });
  const phone = input({ name: "phone", type: "tel", value: value("phone"), autocomplete: "off", inputmode: "tel" });
  const mine = new Set((person?.units ?? []).map((u) => u.id));
  const boxes = units.map((u) => {
    const id = nextId("unit");
    const box = el("input", { type: "checkbox", id, name: "unit_ids", value: u.id, checked: mine.has(u.id), disabled: !mayEdit });
    const leader = person?.units.find((x) => x.id === u.id)?.is_leader;
    return el("div", { class: "check" }, box, el("label", { for: id }, u.name, leader ? ` (${t("people.leader")})` : ""));
  });
  const unitsBox = el(
    "fieldset",
    { class: "field units-field" },
    el("legend", {}, t("people.units")),
    boxes.length ? el("div", { class: "check-grid" }, boxes) : el("p", { class: "muted" }, t("person.noUnits"), " ", el("a", { href: "#/units" }, t("nav.units"))),
    el("p", { class: "field-error", "data-errors-for": "unit_ids", hidden: true }),
  );
  for (const node of [fullName, staffCode, position, email, phone]) node.disabled = !mayEdit;
  const alert = messageSlot("error");
  const saved = messageSlot("status");
  const submit = el("button", { type: "submit", class: "button" }, person ? t("form.save") : t("person.create"));
  const form = el(
    "form",
    { class: "stack", novalidate: true },
    el(
      "div",
      { class: "form-grid" },
      field({ label: t("people.name"), input: fullName, required: true }),
      field({ label: t("people.staffCode"), input: staffCode, required: true, hint: t("person.staffCodeHint") }),
      field({ label: t("people.position"), input: position, hint: t("person.positionHint") }),
      field({ label: t("person.email"), input: email }),
      field({ label: t("person.phone"), input: phone, hint: t("person.phoneHint") }),
    ),
    unitsBox,
    alert,
    saved,
    mayEdit ? el("div", { class: "actions" }, submit, el("a", { class: "button button-secondary", href: "#/people" }, t("form.cancel"))) : null,
  );
  const body = () => ({
    full_name: fullName.value.trim(),
    staff_code: staffCode.value.trim(),
    position: position.value.trim() || null,
    email: email.value.trim() || null,
    phone: phone.value.trim() || null,
    unit_ids: [...form.querySelectorAll('input[name="unit_ids"]:checked')].map((b) => Number(b.value)),
  });
  return { form, submit, alert, saved, body, fullName };
}

// For those who may read but not change: the record as plain facts, not a disabled form.
function readOnly(person) {
  const fact = (label, value) => [el("dt", {}, label), el("dd", {}, value || "—")];
  return el(
    "dl",
    { class: "facts" },
    fact(t("people.staffCode"), el("span", { class: "mono" }, person.staff_code)),
    fact(t("people.position"), person.position),
    fact(t("person.email"), person.email),
    fact(t("person.phone"), person.phone),
    fact(
      t("people.units"),
      person.units.map((u) => (u.is_leader ? `${u.name} (${t("people.leader")})` : u.name)).join(", "),
    ),
    fact(t("people.state"), activeBadge(person.active)),
  );
}

function statusSection(person, onChange) {
  const alert = messageSlot("error");
  const toggle = el(
    "button",
    { type: "button", class: person.active ? "button button-danger" : "button" },
    person.active ? t("person.deactivate") : t("person.activate"),
  );
  toggle.addEventListener("click", async () => {
    if (person.active && !confirmAction(t("person.confirmDeactivate", { name: person.full_name }))) return;
    await busy(toggle, async () => {
      try {
        onChange(await (person.active ? deactivate(person.id) : activate(person.id)));
      } catch (error) {
        showMessage(alert, error.message);
      }
    });
  });
  return el(
    "section",
    { class: "card", "aria-labelledby": "status-title" },
    el("h2", { id: "status-title" }, t("person.statusTitle")),
    el(
      "p",
      {},
      activeBadge(person.active),
      " ",
      person.active ? t("person.activeHint") : t("person.inactiveHint"),
    ),
    alert,
    toggle,
  );
}

// Anonymisation: for an inactive person only; asks why, and that the admin understands it
// cannot be undone. Her name becomes a neutral label; figures and issued reports stay.
function anonymizeSection(person, onChange) {
  const reason = el("textarea", { name: "reason", class: "input", rows: "2", maxlength: "500" });
  const understood = el("input", { type: "checkbox", id: nextId("understood"), name: "understood" });
  const alert = messageSlot("error");
  const submit = el("button", { type: "submit", class: "button button-danger" }, t("person.anonymize"));
  const form = el(
    "form",
    { class: "stack", novalidate: true },
    el("p", {}, t("person.anonymizeHint")),
    field({ label: t("person.anonymizeReason"), input: reason, required: true, hint: t("person.anonymizeReasonHint") }),
    el(
      "div",
      { class: "field" },
      el("div", { class: "check" }, understood, el("label", { for: understood.id }, t("person.anonymizeUnderstood", { name: person.full_name }))),
      el("p", { class: "field-error", "data-errors-for": "understood", hidden: true }),
    ),
    alert,
    el("div", { class: "actions" }, submit),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showMessage(alert, "");
    if (!understood.checked) {
      reportError(form, alert, { fieldErrors: [{ field: "understood", message: t("person.anonymizeConfirmFirst") }] });
      return;
    }
    await busy(submit, async () => {
      try {
        onChange(await anonymize(person.id, reason.value.trim()));
      } catch (error) {
        reportError(form, alert, error);
      }
    });
  });
  return el(
    "section",
    { class: "card", "aria-labelledby": "anonymize-title" },
    el("h2", { id: "anonymize-title" }, t("person.anonymizeTitle")),
    form,
  );
}

function newAccountForm(person, onCreated) {
  const username = input({ name: "username", autocomplete: "off", autocapitalize: "none", placeholder: person.staff_code });
  const password = input({ name: "password", type: "text", autocomplete: "new-password", minlength: "8", spellcheck: "false" });
  const role = select({ name: "role" }, ROLES.map((r) => [r, roleLabel(r)]), "member");
  const alert = messageSlot("error");
  const submit = el("button", { type: "submit", class: "button" }, t("account.create"));
  const form = el(
    "form",
    { class: "stack", novalidate: true },
    el("p", { class: "muted" }, t("account.none")),
    el(
      "div",
      { class: "form-grid" },
      field({ label: t("login.username"), input: username, hint: t("account.usernameHint") }),
      field({ label: t("login.password"), input: password, hint: t("password.hint"), required: true }),
      field({ label: t("account.role"), input: role, hint: t("account.roleHint") }),
    ),
    alert,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showMessage(alert, "");
    if (password.value.length < 8) {
      reportError(form, alert, { fieldErrors: [{ field: "password", type: "string_too_short", message: "at least 8" }] });
      return;
    }
    await busy(submit, async () => {
      try {
        const body = { password: password.value, role: role.value };
        if (username.value.trim()) body.username = username.value.trim();
        onCreated(await createAccount(person.id, body));
      } catch (error) {
        reportError(form, alert, error);
      }
    });
  });
  return form;
}

function existingAccount(person, onChange) {
  const alert = messageSlot("error");
  const status = messageSlot("status");
  const codeBox = el("div", { class: "code-box-slot" });
  const resetButton = el("button", { type: "button", class: "button" }, t("account.issueReset"));
  const roleSelect = select({ name: "role" }, ROLES.map((r) => [r, roleLabel(r)]), person.role || "member");
  const roleButton = el("button", { type: "button", class: "button button-secondary" }, t("account.saveRole"));

  async function userId() {
    const assignments = await listRoles(person.organization_id);
    const found = assignments.find((a) => a.username === person.username);
    if (!found) throw new Error(t("account.notFound"));
    return found.user_id;
  }

  resetButton.addEventListener("click", async () => {
    showMessage(alert, "");
    await busy(resetButton, async () => {
      try {
        const issued = await issueReset(await userId());
        codeBox.replaceChildren(
          el(
            "div",
            { class: "code-box", role: "status" },
            el("p", {}, t("account.codeFor", { username: issued.username })),
            el("p", { class: "one-time-code", "aria-label": t("account.code") }, issued.reset_code),
            el("p", { class: "small" }, t("account.codeExpires", { when: formatDateTime(issued.expires_at) })),
            el("p", { class: "small" }, t("account.codeHowTo")),
          ),
        );
      } catch (error) {
        showMessage(alert, error.message);
      }
    });
  });
  roleButton.addEventListener("click", async () => {
    showMessage(alert, "");
    await busy(roleButton, async () => {
      try {
        await setRole(person.organization_id, await userId(), roleSelect.value);
        showMessage(status, t("account.roleSaved"));
        onChange({ ...person, role: roleSelect.value });
      } catch (error) {
        showMessage(alert, error.message);
      }
    });
  });
  return el(
    "div",
    { class: "stack" },
    el(
      "dl",
      { class: "facts" },
      el("dt", {}, t("login.username")),
      el("dd", { class: "mono" }, person.username),
      el("dt", {}, t("account.role")),
      el("dd", {}, roleLabel(person.role) || "—"),
    ),
    el("div", { class: "inline-row" }, field({ label: t("account.changeRole"), input: roleSelect }), roleButton),
    el("p", { class: "muted" }, t("account.resetLead")),
    resetButton,
    codeBox,
    alert,
    status,
  );
}

export async function render(outlet, { id }) {
  const isNew = !id;
  const mayEdit = can("people:manage");
  const title = el("h1", {}, isNew ? t("person.newTitle") : t("person.title"));
  const main = el("div", {}, loading());
  outlet.replaceChildren(
    el(
      "p",
      { class: "back" },
      el("a", { href: "#/people" }, `← ${t("person.back")}`),
      isNew ? null : [" · ", el("a", { href: `#/people/${id}/history` }, t("person.history"))],
    ),
    el("section", { class: "card" }, title, main),
  );
  const extra = el("div");
  outlet.append(extra);

  let person = null;
  let units = [];
  try {
    person = isNew ? null : await getParticipant(id);
    units = await listUnits(person?.organization_id ?? orgId());
  } catch (error) {
    main.replaceChildren(el("p", { class: "error", role: "alert" }, error.message));
    return;
  }
  if (person) outlet.append(transferPanel(person));

  function draw() {
    if (person) {
      title.textContent = person.full_name;
      document.title = `${person.full_name} — Lan Tỏa`;
    }
    if (person?.anonymized_at) {
      // Closed for good: the neutral label and when, nothing to edit.
      main.replaceChildren(
        el("p", { class: "anonymized", role: "status" }, t("person.anonymizedOn", { date: formatDate(person.anonymized_at) })),
        readOnly(person),
      );
      extra.replaceChildren();
      return;
    }
    if (!mayEdit) {
      main.replaceChildren(readOnly(person));
      extra.replaceChildren(
        person.username
          ? el(
              "section",
              { class: "card" },
              el("h2", {}, t("account.sectionTitle")),
              el("p", {}, el("span", { class: "mono" }, person.username), ` — ${roleLabel(person.role)}`),
            )
          : "",
      );
      return;
    }
    const details = detailsForm(person, units, mayEdit);
    main.replaceChildren(
      person ? el("p", { class: "small muted" }, t("person.updated", { when: formatDateTime(person.updated_at) })) : "",
      details.form,
    );
    if (currentQuery().get("saved")) {
      showMessage(details.saved, t("person.created"));
      replaceQuery({});
    }
    details.form.addEventListener("submit", async (event) => {
      event.preventDefault();
      showMessage(details.alert, "");
      showMessage(details.saved, "");
      await busy(details.submit, async () => {
        try {
          if (isNew) {
            const created = await createParticipant({ organization_id: orgId(), ...details.body() });
            location.hash = `#/people/${created.id}?saved=1`;
            return;
          }
          person = await updateParticipant(person.id, details.body());
          draw();
          showMessage(main.querySelector(".message-slot[role=status]"), t("form.saved"));
        } catch (error) {
          reportError(details.form, details.alert, error);
        }
      });
    });
    if (isNew) {
      details.fullName.focus();
      return;
    }
    const sections = [];
    if (mayEdit) {
      sections.push(
        statusSection(person, (updated) => {
          person = updated;
          draw();
        }),
      );
      if (!person.active) {
        sections.push(
          anonymizeSection(person, (updated) => {
            person = updated;
            draw();
          }),
        );
      }
    }
    if (can("accounts:manage")) {
      const accountBody = !person.active
        ? el("p", { class: "muted" }, person.username ? `${person.username} — ${t("account.inactive")}` : t("account.inactive"))
        : person.username
        ? existingAccount(person, (updated) => {
            person = updated;
            draw();
          })
        : newAccountForm(person, (updated) => {
            person = updated;
            draw();
            showMessage(extra.querySelector("#account-done"), t("account.created", { username: person.username }));
          });
      sections.push(
        el(
          "section",
          { class: "card", "aria-labelledby": "account-title" },
          el("h2", { id: "account-title" }, t("account.sectionTitle")),
          el("div", { id: "account-done", class: "message-slot", role: "status" }),
          accountBody,
        ),
      );
    } else if (person.username) {
      sections.push(
        el(
          "section",
          { class: "card" },
          el("h2", {}, t("account.sectionTitle")),
          el("p", {}, el("span", { class: "mono" }, person.username), ` — ${roleLabel(person.role)}`),
        ),
      );
    }
    extra.replaceChildren(...sections);
  }
  draw();
}
