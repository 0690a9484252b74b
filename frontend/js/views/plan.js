// One plan, laid out like the official document (Decree 30/2020, Appendix I), with its status
// actions, study materials, adoption by the organisations below, tasks and outreach beside it.
import {
  getPlan,
  issuePlan,
  closePlan,
  adoptPlan,
  listAdoptions,
  addMaterialLink,
  addMaterialFile,
  removeMaterial,
  publishMaterials,
  downloadMaterial,
} from "../api/plans.js";
import { listTasks } from "../api/tasks.js";
import { listActivities } from "../api/activities.js";
import { getOrg } from "../api/orgs.js";
import { planStatusBadge, taskStatusBadge, dueLabel } from "../components/badges.js";
import { dataTable } from "../components/data-table.js";
import { dateInput, readDate } from "../components/date-field.js";
import { el } from "../dom.js";
import { t, tOr } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { formatDate, formatPeriod, number, roman } from "../lib/format.js";
import { todayIso } from "../lib/zone.js";
import { currentQuery, replaceQuery } from "../router.js";
import { orgId, can } from "../session.js";
import { field, input, messageSlot, showMessage, reportError, refuseLocally, confirmAction, loading } from "../ui.js";

const upper = (text) => (text || "").toLocaleUpperCase("vi");

function fileSize(bytes) {
  if (bytes == null) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// Body text keeps its lines: "1. …" bold, "a) …" plain, "- …"/"+ …" as paragraphs.
function bodyBlocks(text) {
  return String(text || "")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !/^[-+*]$/.test(line))
    .map((line) => {
      if (/^\d+(\.\d+)*\.\s/.test(line)) return el("p", { class: "doc-sub" }, el("strong", {}, line));
      if (/^[a-zđ]\)\s/i.test(line)) return el("p", { class: "doc-p doc-minor" }, line);
      return el("p", { class: "doc-p" }, line);
    });
}

function documentView(plan, abbreviation) {
  const number = plan.symbol ? `Số: ${plan.symbol}` : `Số:      /${plan.doc_type || "KH"}-${abbreviation || ""}`;
  const recipients = plan.recipients || [];
  const signerLines = String(plan.signer_title || "").split(/\r?\n/).filter((l) => l.trim());
  return el(
    "article",
    { class: "doc-paper", "aria-label": t("plans.document") },
    el(
      "div",
      { class: "doc-header" },
      el(
        "div",
        { class: "doc-issuer" },
        plan.issuer_parent_name ? el("p", { class: "doc-parent" }, upper(plan.issuer_parent_name)) : null,
        el("p", { class: "doc-org" }, upper(plan.issuer_name)),
        el("span", { class: "doc-rule doc-rule-short", "aria-hidden": "true" }),
        el("p", { class: "doc-number" }, number),
      ),
      el(
        "div",
        { class: "doc-nation" },
        el("p", { class: "doc-republic" }, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        el("p", { class: "doc-motto" }, el("span", {}, "Độc lập - Tự do - Hạnh phúc")),
        el("p", { class: "doc-date" }, plan.date_line),
      ),
    ),
    el(
      "h2",
      { class: "doc-heading" },
      el("span", { class: "doc-type" }, "KẾ HOẠCH"),
      el("span", { class: "doc-title" }, plan.title),
    ),
    el("span", { class: "doc-rule doc-rule-title", "aria-hidden": "true" }),
    plan.preamble ? el("div", { class: "doc-body" }, bodyBlocks(plan.preamble)) : null,
    (plan.sections || []).map((section, i) =>
      el(
        "section",
        { class: "doc-section" },
        el("h3", { class: "doc-section-heading" }, `${roman(i + 1)}. ${upper(section.heading)}`),
        el("div", { class: "doc-body" }, bodyBlocks(section.body)),
      ),
    ),
    plan.closing ? el("div", { class: "doc-body doc-closing" }, bodyBlocks(plan.closing)) : null,
    el(
      "div",
      { class: "doc-footer" },
      el(
        "div",
        { class: "doc-recipients" },
        el("p", { class: "doc-recipients-title" }, "Nơi nhận:"),
        recipients.length
          ? el(
              "ul",
              {},
              recipients.map((r, i) => el("li", {}, `- ${r}${i === recipients.length - 1 ? "." : ";"}`)),
            )
          : null,
      ),
      el(
        "div",
        { class: "doc-signer" },
        signerLines.map((line) => el("p", { class: "doc-signer-title" }, upper(line))),
        el("div", { class: "doc-signature-space", "aria-hidden": "true" }),
        plan.signer_name ? el("p", { class: "doc-signer-name" }, plan.signer_name) : null,
      ),
    ),
  );
}

function fact(label, value) {
  return [el("dt", {}, label), el("dd", {}, value == null || value === "" ? "—" : value)];
}

function infoCard(plan) {
  const audience = plan.audience_all
    ? t("plans.audienceAll")
    : plan.audience_units.map((u) => u.name).join(", ") || "—";
  return el(
    "section",
    { class: "card plan-info", "aria-labelledby": "plan-info-title" },
    el("h2", { id: "plan-info-title" }, t("plans.info")),
    el(
      "dl",
      { class: "facts facts-stack" },
      fact(t("plans.period"), formatPeriod(plan.period_start, plan.period_end)),
      fact(t("plans.audience"), audience),
      fact(t("plans.resolution"), plan.resolution),
      plan.parent_plan
        ? fact(
            t("plans.parentPlan"),
            el(
              "a",
              { href: `#/plans/${plan.parent_plan.id}` },
              `${plan.parent_plan.symbol || t("plans.noNumber")} — ${plan.parent_plan.organization_name}`,
            ),
          )
        : null,
      fact(
        t("plans.legalBasis"),
        plan.legal_basis.length ? el("ul", { class: "plain-list" }, plan.legal_basis.map((b) => el("li", {}, b))) : "",
      ),
      fact(
        t("plans.reflection"),
        plan.reflection_required
          ? [
              t("plans.reflectionRequired", { n: plan.reflection_min_length }),
              plan.reflection_timing === "later" ? t("plans.reflectionLater") : null,
              plan.reflection_due_on ? t("plans.reflectionDueOn", { date: formatDate(plan.reflection_due_on) }) : null,
            ]
              .filter(Boolean)
              .join(", ")
          : t("plans.reflectionOptional"),
      ),
    ),
  );
}

function statusCard(plan, { mayWrite, adoptions, ancestor, onChange }) {
  const alert = messageSlot("error");
  const done = messageSlot("status");
  const parts = [];
  const lines = {
    draft: t("plans.draftHint"),
    active: t(mayWrite ? "plans.activeHint" : "plans.issuedHint", { date: formatDate(plan.issued_on) }),
    closed: t("plans.closedHint"),
  };
  parts.push(el("p", { class: "small" }, lines[plan.status]));
  if (plan.status === "closed") {
    parts.push(el("p", { class: "notice notice-info", role: "note" }, t("plans.closedNotice")));
  }
  const actions = el("div", { class: "actions" });
  if (mayWrite && plan.status !== "closed") {
    actions.append(
      el(
        "a",
        { class: plan.status === "draft" ? "button" : "button button-secondary", href: `#/plans/${plan.id}/edit` },
        plan.status === "draft" ? t("plans.edit") : t("plans.editActive"),
      ),
    );
  }
  if (can("plans:read") && plan.status !== "draft" && !ancestor) {
    actions.append(el("a", { class: "button button-secondary", href: `#/plans/${plan.id}/pending` }, t("plans.pending")));
    if (can("people:read")) actions.append(el("a", { class: "button button-secondary", href: `#/plans/${plan.id}/reminders` }, t("reminders.title")));
  }
  if (can("reports:read") && plan.status !== "draft" && !ancestor) {
    actions.append(el("a", { class: "button button-secondary", href: `#/plans/${plan.id}/progress` }, t("plans.progress")));
    if (plan.contests_available) {
      actions.append(el("a", { class: "button button-secondary", href: `#/plans/${plan.id}/contests` }, t("contest.open")));
    }
  }
  if (mayWrite) actions.append(el("a", { class: "button button-secondary", href: `#/plans/${plan.id}/quiz` }, t("quiz.manage")));
  const print = el("button", { type: "button", class: "button button-secondary" }, t("plans.print"));
  print.addEventListener("click", () => window.print());
  actions.append(print);
  parts.push(actions);

  if (mayWrite && plan.status === "draft") {
    const day = dateInput({ name: "issued_on", value: todayIso() });
    const issue = el("button", { type: "submit", class: "button" }, t("plans.issue"));
    const form = el(
      "form",
      { class: "subcard issue-form", novalidate: true },
      el("h3", {}, t("plans.issueTitle")),
      el("p", { class: "small" }, t("plans.issueLead")),
      el("div", { class: "inline-row" }, field({ label: t("plans.issuedOn"), input: day }), issue),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (refuseLocally(form, alert, { issued_on: readDate(day).error })) return;
      if (!confirmAction(t("plans.confirmIssue"))) return;
      await busy(issue, async () => {
        try {
          onChange(await issuePlan(plan.id, readDate(day).value), t("plans.issued"));
        } catch (error) {
          reportError(form, alert, error);
        }
      });
    });
    parts.push(form);
  }
  if (mayWrite && plan.status === "active") {
    const close = el("button", { type: "button", class: "button button-danger" }, t("plans.close"));
    close.addEventListener("click", async () => {
      if (!confirmAction(t("plans.confirmClose"))) return;
      await busy(close, async () => {
        try {
          onChange(await closePlan(plan.id), t("plans.closed"));
        } catch (error) {
          showMessage(alert, error.message);
        }
      });
    });
    parts.push(el("details", { class: "subdetails" }, el("summary", {}, t("plans.close")), el("p", { class: "small" }, t("plans.closeLead")), close));
  }

  // A plan of an organisation above mine: adopt it, or show the plan we made from it.
  const own = adoptions?.find((r) => r.organization_id === orgId());
  if (own && plan.organization_id !== orgId() && plan.status !== "draft") {
    if (own.plan) {
      parts.push(
        el(
          "p",
          { class: "subcard" },
          t("plans.adoptedAs"),
          " ",
          el("a", { href: `#/plans/${own.plan.id}` }, own.plan.symbol || t("plans.draftOf", { title: own.plan.title })),
        ),
      );
    } else if (can("plans:write")) {
      const adopt = el("button", { type: "button", class: "button" }, t("plans.adopt"));
      adopt.addEventListener("click", async () => {
        await busy(adopt, async () => {
          try {
            const created = await adoptPlan(plan.id, orgId());
            location.hash = `#/plans/${created.id}/edit?adopted=1`;
          } catch (error) {
            showMessage(alert, error.message);
          }
        });
      });
      parts.push(el("div", { class: "subcard" }, el("p", { class: "small" }, t("plans.adoptLead")), adopt));
    }
  }
  parts.push(alert, done);
  return {
    node: el(
      "section",
      { class: "card plan-status-card", "aria-labelledby": "plan-status-title" },
      el("h2", { id: "plan-status-title" }, t("plans.statusTitle")),
      ...parts,
    ),
    done,
  };
}

function materialsCard(plan, { mayWrite, onChange }) {
  const alert = messageSlot("error");
  const status = messageSlot("status");
  const editable = mayWrite && plan.status !== "closed";
  const version = `${plan.material_major}.${plan.material_minor}`;
  const list = plan.materials.length
    ? el(
        "ul",
        { class: "item-list materials" },
        plan.materials.map((m) => {
          const open =
            m.kind === "link"
              ? el("a", { href: m.url, target: "_blank", rel: "noopener noreferrer", class: "list-title" }, m.title)
              : el("span", { class: "list-title" }, m.title);
          const tools = el("div", { class: "list-actions" });
          if (m.kind === "file") {
            const get = el("button", { type: "button", class: "button button-secondary" }, t("plans.download"));
            get.addEventListener("click", () =>
              busy(get, () => downloadMaterial(plan.id, m.id, m.file_name).catch((e) => showMessage(alert, e.message))),
            );
            tools.append(get);
          }
          if (editable) {
            const remove = el("button", { type: "button", class: "button button-danger" }, t("plans.removeMaterial"));
            remove.setAttribute("aria-label", `${t("plans.removeMaterial")}: ${m.title}`);
            remove.addEventListener("click", async () => {
              if (!confirmAction(t("plans.confirmRemoveMaterial", { title: m.title }))) return;
              await busy(remove, async () => {
                try {
                  await removeMaterial(plan.id, m.id);
                  onChange(null, t("plans.materialRemoved"));
                } catch (error) {
                  showMessage(alert, error.message);
                }
              });
            });
            tools.append(remove);
          }
          return el(
            "li",
            { class: "list-item" },
            el(
              "div",
              {},
              open,
              m.summary ? el("p", { class: "small muted" }, m.summary) : null,
              el(
                "p",
                { class: "small muted" },
                m.kind === "file"
                  ? `${t("plans.kindFile")}: ${m.file_name || ""} ${m.file_size != null ? `(${fileSize(m.file_size)})` : ""}`
                  : t("plans.kindLink"),
                " · ",
                t("plans.addedIn", { v: m.added_in_major }),
              ),
            ),
            tools.childNodes.length ? tools : null,
          );
        }),
      )
    : el("p", { class: "empty" }, t("plans.noMaterials"));

  const parts = [
    el("p", { class: "muted" }, t("plans.materialsLead", { v: version })),
    list,
  ];
  if (editable) {
    const title = input({ name: "title", maxlength: "300" });
    const url = input({ name: "url", type: "url", inputmode: "url", placeholder: "https://", maxlength: "1000" });
    const summary = el("textarea", { class: "input", name: "summary", rows: "2", maxlength: "4000" });
    const addLink = el("button", { type: "submit", class: "button" }, t("plans.addLink"));
    const linkForm = el(
      "form",
      { class: "stack", novalidate: true },
      field({ label: t("plans.materialTitle"), input: title, required: true }),
      field({ label: t("plans.materialUrl"), input: url, required: true, hint: t("plans.urlHint") }),
      field({ label: t("plans.materialSummary"), input: summary }),
      el("div", { class: "actions" }, addLink),
    );
    linkForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      await busy(addLink, async () => {
        try {
          await addMaterialLink(plan.id, { title: title.value.trim(), url: url.value.trim(), summary: summary.value.trim() || null });
          onChange(null, t("plans.materialAdded"));
        } catch (error) {
          reportError(linkForm, alert, error);
        }
      });
    });

    const fileInput = el("input", { type: "file", name: "file", class: "file-input" });
    const fileName = el("span", { class: "file-name", "aria-hidden": "true" }, t("plans.noFile"));
    const fileTitle = input({ name: "title", maxlength: "300" });
    const upload = el("button", { type: "submit", class: "button" }, t("plans.upload"));
    const fileField = field({ label: t("plans.file"), input: fileInput, hint: t("plans.fileHint") });
    fileInput.after(
      el(
        "div",
        { class: "file-picker" },
        el("label", { for: fileInput.id, class: "button button-secondary file-button", "aria-hidden": "true" }, t("plans.chooseFile")),
        fileName,
      ),
    );
    fileInput.addEventListener("change", () => {
      fileName.textContent = fileInput.files[0]?.name || t("plans.noFile");
    });
    const fileForm = el(
      "form",
      { class: "stack", novalidate: true },
      fileField,
      field({ label: t("plans.materialTitle"), input: fileTitle, hint: t("plans.fileTitleHint") }),
      el("div", { class: "actions" }, upload),
    );
    fileForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const file = fileInput.files[0];
      if (!file) {
        showMessage(alert, t("plans.noFileChosen"));
        fileInput.focus();
        return;
      }
      await busy(upload, async () => {
        try {
          await addMaterialFile(plan.id, file, fileTitle.value.trim());
          onChange(null, t("plans.materialAdded"));
        } catch (error) {
          reportError(fileForm, alert, error);
        }
      });
    });

    const minor = el("button", { type: "button", class: "button button-secondary" }, t("plans.publishMinor", { v: `${plan.material_major}.${plan.material_minor + 1}` }));
    const major = el("button", { type: "button", class: "button" }, t("plans.publishMajor", { v: `${plan.material_major + 1}.0` }));
    const publish = (isMajor, node) => async () => {
      if (isMajor && !confirmAction(t("plans.confirmMajor"))) return;
      await busy(node, async () => {
        try {
          onChange(await publishMaterials(plan.id, isMajor), t("plans.published"));
        } catch (error) {
          showMessage(alert, error.message);
        }
      });
    };
    minor.addEventListener("click", publish(false, minor));
    major.addEventListener("click", publish(true, major));

    parts.push(
      el("details", { class: "subdetails" }, el("summary", {}, t("plans.addLinkTitle")), linkForm),
      el("details", { class: "subdetails" }, el("summary", {}, t("plans.uploadTitle")), fileForm),
      el(
        "div",
        { class: "subcard" },
        el("h3", {}, t("plans.publishTitle")),
        el("p", { class: "small" }, t("plans.publishLead")),
        el("div", { class: "actions" }, minor, major),
      ),
    );
  }
  parts.push(alert, status);
  return el(
    "section",
    { class: "card", "aria-labelledby": "plan-materials-title" },
    el("h2", { id: "plan-materials-title" }, t("plans.materials")),
    ...parts,
  );
}

function adoptionCard(rows) {
  const adopted = rows.filter((r) => r.plan).length;
  return el(
    "section",
    { class: "card", "aria-labelledby": "plan-adoptions-title" },
    el("h2", { id: "plan-adoptions-title" }, t("plans.adoptions")),
    el("p", { class: "summary" }, t("plans.adoptedCount", { n: adopted, total: rows.length })),
    dataTable({
      caption: t("plans.adoptions"),
      headers: ["plans.adoptionOrg", "plans.adoptionPlan", "plans.state"].map((k) => t(k)),
      rows: rows.map((r) =>
        el(
          "tr",
          { class: r.plan ? "" : "row-missing" },
          el("th", { scope: "row", class: "cell-name" }, r.organization_name),
          el(
            "td",
            { "data-label": t("plans.adoptionPlan") },
            r.plan
              ? el("a", { href: `#/plans/${r.plan.id}` }, r.plan.symbol || t("plans.noNumber"))
              : el("span", { class: "badge badge-warn" }, t("plans.notAdopted")),
          ),
          el("td", { "data-label": t("plans.state") }, r.plan ? planStatusBadge(r.plan.status) : "—"),
        ),
      ),
    }),
  );
}

function tasksCard(plan) {
  const body = el("div", {}, loading());
  const card = el(
    "section",
    { class: "card", "aria-labelledby": "plan-tasks-title" },
    el("h2", { id: "plan-tasks-title" }, t("plans.tasks")),
    body,
  );
  (async () => {
    try {
      const data = await listTasks({ plan_id: plan.id, limit: 500, sort: "due_on" });
      const count = (s) => data.items.filter((x) => x.status === s).length;
      const overdue = data.items.filter((x) => x.overdue).length;
      const open = data.items.filter((x) => x.status === "todo" || x.status === "in_progress").slice(0, 5);
      const actions = el("div", { class: "actions" });
      if (data.total) actions.append(el("a", { class: "button button-secondary", href: `#/tasks?plan=${plan.id}` }, t("plans.allTasks", { n: data.total })));
      if (can("tasks:write") && plan.status !== "closed" && plan.organization_id === orgId()) {
        actions.append(el("a", { class: "button", href: `#/tasks?plan=${plan.id}&new=1` }, t("plans.assignTask")));
      }
      body.replaceChildren(
        ...[
        data.total
          ? el(
              "dl",
              { class: "figures" },
              ["todo", "in_progress", "done"].map((s) => el("div", { class: "figure" }, el("dt", {}, t(`tasks.status.${s}`)), el("dd", {}, String(count(s))))),
              el("div", { class: overdue ? "figure figure-bad" : "figure" }, el("dt", {}, t("tasks.overdue")), el("dd", {}, String(overdue))),
            )
          : el("p", { class: "empty" }, t("plans.noTasks")),
        open.length
          ? el(
              "ul",
              { class: "item-list" },
              open.map((task) =>
                el(
                  "li",
                  { class: "list-item" },
                  el("div", {}, el("a", { href: `#/tasks/${task.id}`, class: "list-title" }, task.title), el("p", { class: "small muted" }, task.assignee_name, " · ", dueLabel(task))),
                  taskStatusBadge(task),
                ),
              ),
            )
          : null,
        actions,
        ].filter(Boolean),
      );
    } catch (error) {
      body.replaceChildren(el("p", { class: "muted" }, error.message));
    }
  })();
  return card;
}

function outreachCard(plan) {
  const body = el("div", {}, loading());
  const card = el(
    "section",
    { class: "card", "aria-labelledby": "plan-outreach-title" },
    el("h2", { id: "plan-outreach-title" }, t("plans.outreach")),
    body,
  );
  listActivities({ plan_id: plan.id, limit: 5 })
    .then((data) => {
      const actions = el("div", { class: "actions" });
      if (data.total) actions.append(el("a", { class: "button button-secondary", href: `#/outreach?plan=${plan.id}` }, t("plans.allOutreach", { n: data.total })));
      if (can("activities:write") && plan.status !== "closed" && plan.organization_id === orgId()) {
        actions.append(el("a", { class: "button", href: `#/outreach?plan=${plan.id}&new=1` }, t("plans.addOutreach")));
      }
      body.replaceChildren(
        data.items.length
          ? el(
              "ul",
              { class: "item-list" },
              data.items.map((a) =>
                el(
                  "li",
                  { class: "list-item" },
                  el(
                    "div",
                    {},
                    a.url ? el("a", { href: a.url, target: "_blank", rel: "noopener noreferrer", class: "list-title" }, a.title) : el("span", { class: "list-title" }, a.title),
                    el("p", { class: "small muted" }, formatDate(a.happened_on), " · ", tOr(`outreach.kind.${a.kind}`, a.kind_label), a.reach != null ? ` · ${t("outreach.reachN", { n: number(a.reach) })}` : ""),
                  ),
                ),
              ),
            )
          : el("p", { class: "empty" }, t("plans.noOutreach")),
        actions,
      );
    })
    .catch((error) => body.replaceChildren(el("p", { class: "muted" }, error.message)));
  return card;
}

export async function render(outlet, { id }) {
  // Staff who reach a plan from their own task go back to their page, not to a list of plans.
  const back = can("plans:read")
    ? el("p", { class: "back" }, el("a", { href: "#/plans" }, `← ${t("plans.back")}`))
    : el("p", { class: "back" }, el("a", { href: "#/me" }, `← ${t("teacher.title")}`));
  outlet.replaceChildren(back, el("section", { class: "card" }, loading()));

  let plan;
  try {
    plan = await getPlan(id);
  } catch (error) {
    outlet.replaceChildren(back, el("section", { class: "card" }, el("h1", {}, t("plans.title")), el("p", { class: "error", role: "alert" }, error.message)));
    return;
  }
  let adoptions = null;
  if (can("plans:read")) adoptions = await listAdoptions(plan.id).catch(() => null);
  let abbreviation = "";
  if (!plan.symbol) abbreviation = await getOrg(plan.organization_id).then((o) => o.abbreviation).catch(() => "");

  let flash = currentQuery().get("saved") ? t("plans.saved") : "";
  if (flash) replaceQuery({});

  async function refresh(updated, message) {
    plan = updated || (await getPlan(id));
    flash = message || "";
    draw();
  }

  function draw() {
    // A plan of an organisation above mine is read here and adopted, never edited.
    const ancestor = Boolean(adoptions?.some((r) => r.organization_id === orgId())) && plan.organization_id !== orgId();
    const mayWrite = can("plans:write") && !ancestor;
    document.title = `${plan.symbol || t("plans.draft")} — Lan Tỏa`;
    const status = statusCard(plan, { mayWrite, adoptions, ancestor, onChange: refresh });
    const heading = el(
      "div",
      { class: "page-header plan-page-header" },
      el("h1", {}, plan.symbol ? t("plans.titleNumbered", { symbol: plan.symbol }) : t("plans.draftTitle")),
      planStatusBadge(plan.status),
    );
    const more = [materialsCard(plan, { mayWrite, onChange: refresh }), tasksCard(plan)];
    if (can("activities:read")) more.push(outreachCard(plan));
    const others = (adoptions || []).filter((r) => r.organization_id !== orgId() || plan.organization_id === orgId());
    if (!ancestor && others.length) more.push(adoptionCard(others));
    // Staff read the plan here but confirm on their own page, where its materials are too.
    const confirmHere = can("plans:read")
      ? null
      : el("p", { class: "notice notice-info" }, t("plans.confirmOnMyPage"), " ", el("a", { class: "button button-secondary", href: "#/me" }, t("teacher.title")));
    outlet.replaceChildren(
      ...[back, heading, confirmHere].filter(Boolean),
      el(
        "div",
        { class: "plan-layout" },
        el("div", { class: "plan-side-status" }, status.node),
        el("div", { class: "plan-doc" }, documentView(plan, abbreviation)),
        el("div", { class: "plan-side-info" }, infoCard(plan)),
        el("div", { class: "plan-more" }, ...more),
      ),
    );
    if (flash) showMessage(status.done, flash, "success");
  }
  draw();
}
