// Reports entry: pick a plan, then open its dashboard, the district view or the official report.
// Also the small pieces the report screens share (the "as of" picker, export buttons).
import { listActivePlans, orgSubtree } from "../api/reports.js";
import { t } from "../i18n/index.js";
import { el } from "../dom.js";
import { currentRole, can } from "../session.js";
import { field, messageSlot, showMessage, busy, pageHeader, loading } from "../ui.js";
import { dayLabel, todayIso } from "../charts.js";

// A YYYY-MM-DD from the address, or "" when missing, malformed or in the future.
export function validDay(value) {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return "";
  return value > todayIso() ? "" : value;
}

// "Figures as of" date picker: empty means now; changes call onChange(YYYY-MM-DD or "").
export function asOfPicker(value, onChange) {
  const today = todayIso();
  const dateInput = el("input", { type: "date", class: "input", name: "as_of", max: today, value: value || "" });
  const now = el("button", { type: "button", class: "button button-secondary", hidden: !value }, t("reports.asOf.now"));
  const error = messageSlot("error");
  let last = value || "";
  function apply(next) {
    if (next && next > today) {
      showMessage(error, t("reports.asOf.future"));
      dateInput.setAttribute("aria-invalid", "true");
      return;
    }
    showMessage(error, "");
    dateInput.removeAttribute("aria-invalid");
    now.hidden = !next;
    if (next === last) return;
    last = next;
    onChange(next);
  }
  dateInput.addEventListener("change", () => {
    // A half-typed date reads as ""; wait for a whole one (or a deliberate clear).
    if (!dateInput.value && dateInput.validity.badInput) return;
    apply(dateInput.value);
  });
  now.addEventListener("click", () => {
    dateInput.value = "";
    apply("");
    dateInput.focus();
  });
  return el(
    "div",
    { class: "as-of" },
    el("div", { class: "inline-row" }, field({ label: t("reports.asOf.label"), input: dateInput, hint: t("reports.asOf.hint") }), now),
    error,
  );
}

// "Data as of 24/03/2025" or "Current figures" — what the numbers on the screen mean.
export function asOfNote(asOf) {
  return asOf ? t("reports.asOf.at", undefined, { date: dayLabel(asOf) }) : t("reports.asOf.current");
}

// CSV and Excel buttons; fetcher(format) downloads the file.
export function exportButtons(fetcher, slot) {
  const make = (format, label) => {
    const node = el("button", { type: "button", class: "button button-secondary" }, label);
    node.addEventListener("click", () =>
      busy(node, async () => {
        showMessage(slot, "");
        try {
          await fetcher(format);
        } catch (error) {
          showMessage(slot, error.message);
        }
      }),
    );
    return node;
  };
  return [make("csv", t("reports.export.csv")), make("xlsx", t("reports.export.xlsx"))];
}

// "05/KH-THNBK — Tổ chức học tập …" under a screen's title.
export function planLine(plan) {
  return el(
    "p",
    { class: "plan-ref" },
    el("strong", {}, plan.symbol || t("reports.noNumber")),
    " — ",
    el("span", { class: "plan-ref-title" }, plan.title),
    plan.organization_name ? el("span", { class: "plan-ref-org" }, plan.organization_name) : null,
  );
}

function planCard(plan, { rollup, write }) {
  // For a plan with organisations below, the district view is what its issuer looks at first.
  const links = [
    rollup ? el("a", { class: "button", href: `#/plans/${plan.id}/rollup` }, t("reports.entry.rollup")) : null,
    el("a", { class: rollup ? "button button-secondary" : "button", href: `#/plans/${plan.id}/progress` }, t("reports.entry.progress")),
    write ? el("a", { class: "button button-secondary", href: `#/plans/${plan.id}/report` }, t("reports.entry.report")) : null,
  ];
  return el(
    "li",
    { class: "plan-pick" },
    el(
      "div",
      { class: "plan-pick-text" },
      el("div", { class: "plan-pick-symbol" }, plan.symbol || t("reports.noNumber"), plan.status === "closed" ? el("span", { class: "badge badge-off" }, t("reports.closed")) : null),
      el("div", { class: "plan-pick-title" }, plan.title),
      el(
        "div",
        { class: "small muted" },
        [plan.organization_name, plan.issued_on ? t("reports.entry.issuedOn", undefined, { date: dayLabel(plan.issued_on) }) : null].filter(Boolean).join(" · "),
      ),
    ),
    el("div", { class: "plan-pick-actions" }, links),
  );
}

export async function render(outlet) {
  const role = currentRole();
  outlet.replaceChildren(el("section", { class: "card" }, pageHeader(t("reports.entry.title")), loading()));
  const alert = messageSlot("error");
  let plans = [];
  let closed = [];
  let orgs = [];
  try {
    const [active, done, tree] = await Promise.all([
      listActivePlans("active"),
      listActivePlans("closed").catch(() => ({ items: [] })),
      orgSubtree(role.organization_id).catch(() => ({ items: [] })),
    ]);
    plans = active.items;
    closed = done.items;
    orgs = tree.items;
  } catch (error) {
    outlet.replaceChildren(el("section", { class: "card" }, pageHeader(t("reports.entry.title")), alert));
    showMessage(alert, error.message);
    return;
  }
  const mine = role.organization_id;
  const inScope = new Set(orgs.map((o) => o.id));
  inScope.add(mine);
  const hasChildren = (orgId) => orgs.some((o) => o.parent_id === orgId);
  const options = (plan) => ({
    rollup: hasChildren(plan.organization_id),
    write: can("plans:write") && plan.organization_id === mine,
  });
  // Plans of organisations above are context only: their figures belong to the issuer.
  const own = plans.filter((p) => p.organization_id === mine);
  const below = plans.filter((p) => p.organization_id !== mine && inScope.has(p.organization_id));
  const ended = closed.filter((p) => inScope.has(p.organization_id));

  const list = (items) => el("ul", { class: "plan-picks" }, items.map((p) => planCard(p, options(p))));
  const sections = [];
  sections.push(
    el(
      "section",
      { class: "card" },
      pageHeader(t("reports.entry.title")),
      el("p", { class: "lead" }, t("reports.entry.lead")),
      el("h2", {}, t("reports.entry.own", undefined, { org: role.organization_name })),
      own.length ? list(own) : el("p", { class: "empty" }, t("reports.entry.noneOwn")),
    ),
  );
  if (below.length) {
    sections.push(
      el("section", { class: "card" }, el("h2", {}, t("reports.entry.below", undefined, { n: below.length })), list(below)),
    );
  }
  if (ended.length) {
    sections.push(
      el(
        "section",
        { class: "card" },
        el(
          "details",
          { class: "ended-plans" },
          el("summary", {}, t("reports.entry.closed", undefined, { n: ended.length })),
          list(ended),
        ),
      ),
    );
  }
  outlet.replaceChildren(...sections);
}
