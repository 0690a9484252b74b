// Reports entry: pick a plan, then open its dashboard, the district view or the official report.
import { subtree } from "../api/orgs.js";
import { listPlans } from "../api/plans.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { formatDate } from "../lib/format.js";
import { currentRole, can } from "../session.js";
import { messageSlot, showMessage, pageHeader, loading } from "../ui.js";

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
        [plan.organization_name, plan.issued_on ? t("reports.entry.issuedOn", { date: formatDate(plan.issued_on) }) : null].filter(Boolean).join(" · "),
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
      listPlans({ status: "active", limit: 500 }),
      listPlans({ status: "closed", limit: 500 }).catch(() => ({ items: [] })),
      subtree(role.organization_id, { limit: 500 }).catch(() => ({ items: [] })),
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
      el("h2", {}, t("reports.entry.own", { org: role.organization_name })),
      own.length ? list(own) : el("p", { class: "empty" }, t("reports.entry.noneOwn")),
    ),
  );
  if (below.length) {
    sections.push(
      el("section", { class: "card" }, el("h2", {}, t("reports.entry.below", { n: below.length })), list(below)),
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
          el("summary", {}, t("reports.entry.closed", { n: ended.length })),
          list(ended),
        ),
      ),
    );
  }
  outlet.replaceChildren(...sections);
}
