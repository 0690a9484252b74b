// Who has not confirmed a plan yet (live): send each a personal link, or confirm on their behalf.
import { listPending, confirmOnBehalf } from "../api/acknowledgements.js";
import { issueLink } from "../api/links.js";
import { getPlan } from "../api/plans.js";
import { listUnits } from "../api/units.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy, latestRequests } from "../lib/busy.js";
import { formatDate } from "../lib/format.js";
import { currentQuery, replaceQuery } from "../router.js";
import { can, orgId } from "../session.js";
import { field, input, select, messageSlot, showMessage, reportError } from "../ui.js";

const REFRESH_MS = 10000;

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export async function render(outlet, { id }) {
  const params = currentQuery();
  let unit = params.get("unit") || "";
  const alert = messageSlot("error");
  const summary = el("p", { class: "summary pending-summary", role: "status", "aria-live": "polite" });
  const list = el("ul", { class: "item-list pending-list", "aria-label": t("pending.listLabel") });
  const empty = el("p", { class: "empty", hidden: true }, t("pending.none"));
  const unitSelect = select({ name: "unit" }, [["", t("pending.allUnits")]], unit);
  const heading = el("h1", {}, t("pending.title"));
  const planLine = el("p", { class: "muted" });
  const rows = new Map();
  const mayRecord = can("acknowledgements:record");
  let plan = null;

  outlet.replaceChildren(
    el(
      "section",
      { class: "card" },
      el("p", { class: "back" }, el("a", { href: `#/plans/${id}` }, `← ${t("pending.backToPlan")}`)),
      heading,
      planLine,
      el("div", { class: "filter-grid filters-inline" }, field({ label: t("pending.unit"), input: unitSelect })),
      el("p", { class: "hint" }, t("pending.live")),
      alert,
      summary,
      empty,
      list,
    ),
  );

  function messageFor(row, issued) {
    const symbol = plan?.symbol || plan?.title || "";
    return t("pending.message", { name: row.full_name, plan: symbol, url: issued.url, date: formatDate(issued.expires_at) });
  }

  function linkPanel(row, slot) {
    const button = el("button", { type: "button", class: "button button-secondary" }, t("pending.copyLink"));
    button.addEventListener("click", async () => {
      let issued;
      try {
        issued = await busy(button, () => issueLink(row.participant_id));
      } catch (error) {
        slot.replaceChildren(el("p", { class: "notice notice-error", role: "alert" }, error.message));
        return;
      }
      const text = messageFor(row, issued);
      const copied = await copyText(text);
      const box = el("textarea", { class: "input link-message", rows: "4", readonly: true, "aria-label": t("pending.messageLabel", { name: row.full_name }) });
      box.value = text;
      const copyAgain = el("button", { type: "button", class: "button button-secondary" }, t("pending.copyMessage"));
      const copyUrl = el("button", { type: "button", class: "button button-secondary" }, t("pending.copyUrlOnly"));
      const note = el("p", { class: "small", role: "status" }, copied ? t("pending.copied") : t("pending.copyManually"));
      copyAgain.addEventListener("click", async () => {
        const ok = await copyText(text);
        note.textContent = ok ? t("pending.copied") : t("pending.copyManually");
        if (!ok) box.select();
      });
      copyUrl.addEventListener("click", async () => {
        note.textContent = (await copyText(issued.url)) ? t("pending.copiedUrl") : t("pending.copyManually");
      });
      const sms = row.phone ? el("a", { class: "button button-secondary", href: `sms:${row.phone.replace(/\s+/g, "")}?body=${encodeURIComponent(text)}` }, t("pending.sms")) : null;
      slot.replaceChildren(
        el(
          "div",
          { class: "link-panel" },
          el("img", { src: issued.qr_svg_data_uri, alt: t("pending.qrAlt", { name: row.full_name }), class: "link-qr" }),
          el(
            "div",
            { class: "link-panel-text" },
            note,
            box,
            el("div", { class: "actions" }, copyAgain, copyUrl, sms),
            el("p", { class: "small muted" }, t("pending.expires", { date: formatDate(issued.expires_at) })),
          ),
        ),
      );
      if (!copied) box.select();
    });
    return button;
  }

  function behalfPanel(row, slot) {
    const button = el("button", { type: "button", class: "button button-secondary" }, t("pending.onBehalf"));
    button.addEventListener("click", () => {
      const reason = input({ name: "reason", maxlength: "500", placeholder: t("pending.reasonPlaceholder") });
      const submit = el("button", { type: "submit", class: "button" }, t("pending.onBehalfSubmit"));
      const cancel = el("button", { type: "button", class: "button button-secondary" }, t("form.cancel"));
      const formAlert = messageSlot("error");
      // A required reflection handed in on paper is typed in with the confirmation, unless
      // the plan takes it later (then it follows on its own).
      const withReflection = plan?.reflection_required && plan.reflection_timing !== "later";
      const minLength = withReflection ? plan.reflection_min_length : 0;
      const reflection = withReflection ? el("textarea", { class: "input", name: "reflection", rows: "5", maxlength: "20000" }) : null;
      const form = el(
        "form",
        { class: "behalf-form", novalidate: true },
        field({ label: t("pending.reason"), input: reason, required: true, hint: t("pending.reasonHint") }),
        reflection ? field({ label: t("pending.reflection"), input: reflection, required: true, hint: t("pending.reflectionHint", { n: minLength }) }) : null,
        formAlert,
        el("div", { class: "actions" }, submit, cancel),
      );
      cancel.addEventListener("click", () => slot.replaceChildren());
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        if (reason.value.trim().length < 5) {
          reportError(form, formAlert, { fieldErrors: [{ field: "body.reason", type: "string_too_short", message: "at least 5 characters" }], message: "" });
          return;
        }
        if (reflection && reflection.value.trim().length < minLength) {
          reportError(form, formAlert, { fieldErrors: [{ field: "body.reflection", type: "string_too_short", message: `at least ${minLength} characters` }], message: "" });
          return;
        }
        try {
          const body = { participant_id: row.participant_id, reason: reason.value.trim() };
          if (reflection) body.reflection = reflection.value.trim();
          await busy(submit, () => confirmOnBehalf(id, body));
          slot.replaceChildren(el("p", { class: "notice notice-success" }, t("pending.onBehalfDone", { name: row.full_name })));
          setTimeout(load, 1200);
        } catch (error) {
          reportError(form, formAlert, error);
        }
      });
      slot.replaceChildren(form);
      reason.focus();
    });
    return button;
  }

  function rowNode(row) {
    const slot = el("div", { class: "row-slot" });
    const contact = [row.phone, row.email].filter(Boolean);
    return el(
      "li",
      { class: "pending-row", "data-participant": row.participant_id },
      el(
        "div",
        { class: "pending-who" },
        el("a", { href: `#/people/${row.participant_id}`, class: "list-title" }, row.full_name),
        el("div", { class: "small muted" }, [row.staff_code, row.position, ...row.units].filter(Boolean).join(" · ")),
        contact.length ? el("div", { class: "small" }, contact.flatMap((c, i) => [i ? " · " : "", c.includes("@") ? el("a", { href: `mailto:${c}` }, c) : el("a", { href: `tel:${c.replace(/\s+/g, "")}` }, c)])) : null,
      ),
      mayRecord ? el("div", { class: "list-actions" }, linkPanel(row, slot), behalfPanel(row, slot)) : null,
      slot,
    );
  }

  // The list refreshes itself: a slow answer must not undo a newer one.
  const requests = latestRequests();
  async function load() {
    replaceQuery({ unit });
    const outcome = await requests.run(() => listPending(id, unit));
    if (!outcome) return;
    if (outcome.error) {
      showMessage(alert, outcome.error.status === 403 ? t("pending.ownUnitOnly") : outcome.error.message);
      return;
    }
    const data = outcome.data;
    showMessage(alert, "");
    const seen = new Set();
    let previous = null;
    for (const row of data) {
      seen.add(row.participant_id);
      let node = rows.get(row.participant_id);
      if (!node) {
        node = rowNode(row);
        rows.set(row.participant_id, node);
      }
      // Keep the order of the list; a row with an open panel keeps its node (and its text).
      if (previous ? previous.nextSibling !== node : list.firstChild !== node) {
        if (previous) previous.after(node);
        else list.prepend(node);
      }
      previous = node;
    }
    for (const [pid, node] of rows) {
      if (!seen.has(pid)) {
        node.remove();
        rows.delete(pid);
      }
    }
    summary.textContent = data.length ? t("pending.count", { n: data.length }) : "";
    empty.hidden = data.length > 0;
  }

  unitSelect.addEventListener("change", () => {
    unit = unitSelect.value;
    for (const node of rows.values()) node.remove();
    rows.clear();
    load();
  });

  getPlan(id)
    .then((p) => {
      plan = p;
      heading.textContent = t("pending.titleFor", { plan: p.symbol || p.title });
      planLine.textContent = p.title;
      document.title = `${heading.textContent} — Lan Tỏa`;
    })
    .catch(() => {});
  listUnits(orgId())
    .then((units) => unitSelect.append(...units.map((u) => el("option", { value: u.id, selected: String(u.id) === unit }, u.name))))
    .catch(() => {});
  await load();
  const timer = setInterval(() => {
    if (!document.hidden) load();
  }, REFRESH_MS);
  return () => {
    clearInterval(timer);
    requests.cancel();
  };
}
