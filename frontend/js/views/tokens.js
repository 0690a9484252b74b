// API tokens for machine clients (the district office): list, create (shown once), revoke.
import { listTokens, createToken, revokeToken } from "../api/tokens.js";
import { dataTable } from "../components/data-table.js";
import { numberInput, readNumber } from "../components/number-field.js";
import { shownOnce } from "../components/shown-once.js";
import { el } from "../dom.js";
import { t, tOr } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { formatDate, formatDateTime } from "../lib/format.js";
import { orgId } from "../session.js";
import { field, input, nextId, messageSlot, showMessage, reportError, confirmAction, pageHeader, loading } from "../ui.js";

const SCOPES = ["orgs:read", "people:read", "plans:read", "tasks:read", "sessions:read", "activities:read", "reports:read"];

function scopeLabel(scope) {
  return tOr(`scope.${scope}`, scope);
}

function tokenState(token) {
  if (token.revoked_at) return ["badge badge-off", t("tokens.revokedOn", { when: formatDate(token.revoked_at) })];
  if (new Date(token.expires_at) <= new Date()) return ["badge badge-off", t("tokens.expired")];
  return ["badge badge-ok", t("tokens.valid")];
}

export async function render(outlet) {
  const org = orgId();
  const alert = messageSlot("error");
  const status = messageSlot("status");
  const list = el("div", {}, loading());
  const shown = el("div");

  const name = input({ name: "name", maxlength: "120", autocomplete: "off", placeholder: t("tokens.namePlaceholder") });
  const days = numberInput({ name: "expires_in_days", min: 1, value: 365 });
  const boxes = SCOPES.map((scope) => {
    const id = nextId("scope");
    return el(
      "div",
      { class: "check" },
      el("input", { type: "checkbox", id, name: "scopes", value: scope, checked: scope === "reports:read" }),
      el("label", { for: id }, scopeLabel(scope), " ", el("span", { class: "small muted mono" }, scope)),
    );
  });
  const createButton = el("button", { type: "submit", class: "button" }, t("tokens.create"));
  const formAlert = messageSlot("error");
  const form = el(
    "form",
    { class: "stack", novalidate: true },
    field({ label: t("tokens.name"), input: name, required: true, hint: t("tokens.nameHint") }),
    el(
      "fieldset",
      { class: "field" },
      el("legend", {}, t("tokens.scopes")),
      el("div", { class: "check-grid" }, boxes),
      el("p", { class: "field-error", "data-errors-for": "scopes", hidden: true }),
    ),
    field({ label: t("tokens.days"), input: days, hint: t("tokens.daysHint") }),
    formAlert,
    createButton,
  );

  function showOnce(created) {
    shown.replaceChildren(
      shownOnce({
        title: t("tokens.onceTitle", { name: created.name }),
        warning: t("tokens.onceWarning"),
        label: t("tokens.value"),
        value: created.token,
        help: t("tokens.howToUse"),
        doneLabel: t("tokens.stored"),
        onDone: () => {
          shown.replaceChildren();
          name.focus();
        },
      }),
    );
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showMessage(formAlert, "");
    const scopes = [...form.querySelectorAll('input[name="scopes"]:checked')].map((b) => b.value);
    const local = [];
    if (!name.value.trim()) local.push({ field: "name", type: "missing", message: "" });
    if (!scopes.length) local.push({ field: "scopes", type: "scopes", message: t("tokens.pickScope") });
    const lasting = readNumber(days);
    if (lasting.error) local.push({ field: "expires_in_days", type: "local", message: lasting.error });
    if (local.length) {
      reportError(form, formAlert, { fieldErrors: local });
      return;
    }
    await busy(createButton, async () => {
      try {
        const created = await createToken({
          organization_id: org,
          name: name.value.trim(),
          scopes,
          expires_in_days: lasting.value ?? undefined, // left out: the server's default
        });
        form.reset();
        showOnce(created);
        await load();
      } catch (error) {
        reportError(form, formAlert, error);
      }
    });
  });

  function row(token) {
    const [badgeClass, badgeText] = tokenState(token);
    let action = "";
    if (!token.revoked_at) {
      action = el("button", { type: "button", class: "button button-danger", "aria-label": `${t("tokens.revoke")}: ${token.name}` }, t("tokens.revoke"));
      action.addEventListener("click", async () => {
        if (!confirmAction(t("tokens.confirmRevoke", { name: token.name }))) return;
        await busy(action, async () => {
          try {
            await revokeToken(token.id);
            showMessage(status, t("tokens.revoked", { name: token.name }));
            await load();
          } catch (error) {
            showMessage(alert, error.message);
          }
        });
      });
    }
    const cell = (label, ...content) => el("td", { "data-label": label }, ...content);
    return el(
      "tr",
      { class: token.revoked_at ? "row-inactive" : "" },
      el("th", { scope: "row", class: "cell-name" }, token.name),
      cell(t("tokens.prefix"), el("span", { class: "mono" }, `${token.token_prefix}…`)),
      cell(t("tokens.scopes"), el("ul", { class: "tags" }, token.scopes.map((s) => el("li", { class: "tag" }, scopeLabel(s))))),
      cell(t("tokens.created"), formatDate(token.created_at)),
      cell(t("tokens.expires"), formatDate(token.expires_at)),
      cell(t("tokens.lastUsed"), token.last_used_at ? formatDateTime(token.last_used_at) : t("tokens.neverUsed")),
      cell(t("tokens.state"), el("span", { class: badgeClass }, badgeText)),
      cell(t("tokens.actions"), action),
    );
  }

  async function load() {
    try {
      const tokens = await listTokens(org);
      list.replaceChildren(
        tokens.length
          ? dataTable({
              caption: t("tokens.title"),
              headers: ["tokens.name", "tokens.prefix", "tokens.scopes", "tokens.created", "tokens.expires", "tokens.lastUsed", "tokens.state", "tokens.actions"].map((k) => t(k)),
              rows: tokens.map(row),
            })
          : el("p", { class: "empty" }, t("tokens.empty")),
      );
    } catch (error) {
      showMessage(alert, error.message);
    }
  }

  outlet.replaceChildren(
    el("section", { class: "card" }, pageHeader(t("tokens.title")), el("p", { class: "muted" }, t("tokens.lead")), status, alert, list),
    shown,
    el("section", { class: "card" }, el("h2", {}, t("tokens.newTitle")), form),
  );
  await load();
}
