// One study session: its facts, held/cancel actions, and the attendance sheet (live).
import { getPlan } from "../api/plans.js";
import { getSession, getRoster, markAttendance, markBulk, changeStatus } from "../api/sessions.js";
import { sessionStatusBadge } from "../components/badges.js";
import { el } from "../dom.js";
import { t, tOr } from "../i18n/index.js";
import { attendanceLabel } from "../i18n/labels.js";
import { busy } from "../lib/busy.js";
import { formatDateTime, formatTimeSpan } from "../lib/format.js";
import { foldText } from "../lib/text.js";
import { can } from "../session.js";
import { messageSlot, showMessage, confirmAction, loading, nextId, field, input, select } from "../ui.js";

const MARKS = ["present", "late", "excused", "absent"];
const REFRESH_MS = 10000;

function figures(counts) {
  const items = [
    ["audience", counts.audience, ""],
    ["present", counts.present, "figure-ok"],
    ["late", counts.late, ""],
    ["excused", counts.excused, ""],
    ["absent", counts.absent, counts.absent ? "figure-bad" : ""],
    ["unmarked", counts.unmarked, counts.unmarked ? "figure-warn" : "figure-ok"],
  ];
  return el(
    "dl",
    { class: "figures figures-6", "aria-live": "polite" },
    items.map(([key, n, cls]) => el("div", { class: `figure ${cls}`.trim(), "data-count": key }, el("dt", {}, t(`sessions.count.${key}`)), el("dd", {}, String(n)))),
  );
}

function countRoster(rows) {
  const counts = { audience: rows.length, present: 0, late: 0, excused: 0, absent: 0, unmarked: 0 };
  for (const r of rows) counts[r.status || "unmarked"] += 1;
  return counts;
}

export async function render(outlet, { id }) {
  outlet.replaceChildren(loading());
  let session;
  let roster;
  try {
    [session, roster] = await Promise.all([getSession(id), getRoster(id)]);
  } catch (error) {
    outlet.replaceChildren(el("section", { class: "card" }, el("p", { class: "back" }, el("a", { href: "#/sessions" }, `← ${t("sessions.title")}`)), el("p", { class: "notice notice-error", role: "alert" }, error.message)));
    return;
  }
  const mayWrite = can("sessions:write");
  const head = el("div");
  const sheetAlert = messageSlot("error");
  const sheetDone = messageSlot("status");
  const countsSlot = el("div");
  const sheet = el("div", { class: "attendance-sheet" });
  const bulkBar = el("div", { class: "bulk-bar" });
  let planLabel = `#${session.plan_id}`;
  let timer = null;
  let pausedUntil = 0;
  // Find one person in a long sheet: by name or code (accents optional), and by unit.
  const search = input({ type: "search", name: "q", autocomplete: "off" });
  const unitNames = [...new Set(roster.flatMap((r) => r.units))].sort((a, b) => a.localeCompare(b, "vi"));
  const unitFilter = select({ name: "unit" }, [["", t("sessions.filterAllUnits")], ...unitNames.map((u) => [u, u])], "");
  const shownCount = el("p", { class: "small muted", "aria-live": "polite" });
  const sheetFilters = el(
    "div",
    { class: "form-grid sheet-filters" },
    field({ label: t("sessions.filterName"), input: search }),
    unitNames.length ? field({ label: t("sessions.filterUnit"), input: unitFilter }) : null,
  );
  search.addEventListener("input", () => renderSheet());
  unitFilter.addEventListener("change", () => renderSheet());
  // Marking a session before it starts is allowed (a list made ahead) but asked about once.
  let earlyConfirmed = false;

  function markable() {
    return mayWrite && session.status !== "cancelled";
  }

  function notStarted() {
    return Date.now() < new Date(session.starts_at).getTime();
  }

  function confirmEarly() {
    if (earlyConfirmed || !notStarted()) return true;
    earlyConfirmed = confirmAction(t("sessions.earlyConfirm", { when: formatDateTime(session.starts_at) }));
    return earlyConfirmed;
  }

  function renderHead() {
    document.title = `${session.title} — Lan Tỏa`;
    const actions = [];
    const statusAlert = messageSlot("error");
    if (mayWrite && session.status === "scheduled") {
      actions.push(el("a", { class: "button", href: `#/sessions/${session.id}/projector` }, t("sessions.projector")));
      actions.push(el("a", { class: "button button-secondary", href: `#/sessions/new?id=${session.id}` }, t("sessions.edit")));
    }
    let heldForm = null;
    if (mayWrite && session.status === "scheduled") {
      const minutesId = nextId("minutes");
      const minutes = el("textarea", { id: minutesId, class: "input", rows: "4", maxlength: "20000", name: "minutes" });
      const held = el("button", { type: "submit", class: "button" }, t("sessions.markHeld"));
      heldForm = el(
        "details",
        { class: "held-details" },
        el("summary", {}, t("sessions.heldSummary")),
        el(
          "form",
          { class: "stack", novalidate: true },
          el("label", { for: minutesId, class: "strong" }, t("sessions.minutes")),
          el("p", { class: "hint" }, t("sessions.minutesHint")),
          minutes,
          held,
        ),
      );
      heldForm.querySelector("form").addEventListener("submit", async (event) => {
        event.preventDefault();
        try {
          session = await busy(held, () => changeStatus(session.id, "held", minutes.value.trim() || null));
          renderHead();
        } catch (error) {
          showMessage(statusAlert, error.message);
        }
      });
      const cancel = el("button", { type: "button", class: "button button-danger" }, t("sessions.cancel"));
      cancel.addEventListener("click", async () => {
        if (!confirmAction(t("sessions.cancelConfirm"))) return;
        try {
          session = await busy(cancel, () => changeStatus(session.id, "cancelled"));
          renderHead();
          renderSheet();
        } catch (error) {
          showMessage(statusAlert, error.message);
        }
      });
      actions.push(cancel);
    }
    if (mayWrite && session.status === "cancelled") {
      const restore = el("button", { type: "button", class: "button button-secondary" }, t("sessions.restore"));
      restore.addEventListener("click", async () => {
        try {
          session = await busy(restore, () => changeStatus(session.id, "scheduled"));
          renderHead();
          renderSheet();
        } catch (error) {
          showMessage(statusAlert, error.message);
        }
      });
      actions.push(restore);
    }
    const facts = [
      [t("sessions.when"), formatTimeSpan(session.starts_at, session.ends_at)],
      [t("sessions.kindLabel"), t(`sessions.kind.${session.kind}`)],
      [t("sessions.place"), session.place],
      [t("sessions.presenter"), session.presenter],
      [t("sessions.plan"), el("a", { href: `#/plans/${session.plan_id}` }, planLabel)],
      [t("sessions.audience"), session.audience_all ? t("sessions.audienceAll") : t("sessions.audienceSomeUnits", { n: session.audience_unit_ids.length })],
    ].filter(([, v]) => v);
    head.replaceChildren(
      ...[
      el("p", { class: "back" }, el("a", { href: "#/sessions" }, `← ${t("sessions.title")}`)),
      el("div", { class: "page-header" }, el("h1", {}, session.title), sessionStatusBadge(session.status)),
      el("dl", { class: "facts" }, facts.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])),
      session.online_url ? el("p", {}, el("a", { href: session.online_url, target: "_blank", rel: "noopener noreferrer" }, t("sessions.joinOnline"))) : null,
      session.minutes ? el("div", { class: "subcard" }, el("h2", {}, t("sessions.minutes")), el("p", { class: "pre" }, session.minutes)) : null,
      actions.length ? el("div", { class: "actions" }, actions) : null,
      heldForm,
      statusAlert,
      ].filter(Boolean),
    );
  }

  function statusButtons(row) {
    const group = el("div", { class: "mark-group", role: "group", "aria-label": t("sessions.markFor", { name: row.full_name }) });
    for (const status of MARKS) {
      const b = el(
        "button",
        { type: "button", class: `mark mark-${status}`, "aria-pressed": String(row.status === status), disabled: !markable() },
        t(`sessions.att.${status}`),
      );
      b.addEventListener("click", async () => {
        if (row.status === status || !confirmEarly()) return;
        pausedUntil = Date.now() + REFRESH_MS;
        showMessage(sheetAlert, "");
        try {
          const updated = await busy(b, () => markAttendance(session.id, row.participant_id, status));
          Object.assign(row, updated);
          renderSheet();
        } catch (error) {
          showMessage(sheetAlert, error.message);
        }
      });
      group.append(b);
    }
    return group;
  }

  function renderSheet() {
    const counts = countRoster(roster);
    countsSlot.replaceChildren(figures(counts));
    bulkBar.replaceChildren();
    if (markable() && counts.unmarked) {
      const rest = el("button", { type: "button", class: "button" }, t("sessions.bulkPresent", { n: counts.unmarked }));
      const absent = el("button", { type: "button", class: "button button-secondary" }, t("sessions.bulkAbsent", { n: counts.unmarked }));
      for (const [button, status] of [[rest, "present"], [absent, "absent"]]) {
        button.addEventListener("click", async () => {
          const running = Date.now() < new Date(session.ends_at).getTime();
          const question = t("sessions.bulkConfirm", { n: counts.unmarked, status: t(`sessions.att.${status}`) });
          const note = notStarted() ? t("sessions.earlyConfirm", { when: formatDateTime(session.starts_at) }) : running ? t("sessions.bulkStillRunning") : "";
          if (!confirmAction(note ? `${question}\n${note}` : question)) return;
          if (notStarted()) earlyConfirmed = true;
          showMessage(sheetAlert, "");
          try {
            roster = await busy(button, () => markBulk(session.id, status));
            renderSheet();
            showMessage(sheetDone, t("sessions.bulkDone", { n: counts.unmarked, status: t(`sessions.att.${status}`) }), "success");
          } catch (error) {
            showMessage(sheetAlert, error.message);
          }
        });
      }
      bulkBar.append(rest, absent);
    } else if (roster.length && !counts.unmarked) {
      bulkBar.append(el("p", { class: "all-marked" }, `✓ ${t("sessions.allMarked")}`));
    }
    sheetFilters.hidden = !roster.length;
    if (!roster.length) {
      shownCount.textContent = "";
      sheet.replaceChildren(el("p", { class: "empty" }, t("sessions.noAudience")));
      return;
    }
    const q = foldText(search.value.trim());
    const unit = unitFilter.value;
    const shown = roster.filter((r) => (!q || foldText(`${r.full_name} ${r.staff_code || ""}`).includes(q)) && (!unit || r.units.includes(unit)));
    shownCount.textContent = q || unit ? t("sessions.filterShown", { n: shown.length, total: roster.length }) : "";
    if (!shown.length) {
      sheet.replaceChildren(el("p", { class: "empty" }, t("sessions.filterNone")));
      return;
    }
    sheet.replaceChildren(
      el(
        "ul",
        { class: "roster", "aria-label": t("sessions.sheet") },
        shown.map((row) =>
          el(
            "li",
            { class: `roster-row${row.status ? "" : " is-unmarked"}`, "data-participant": row.participant_id },
            el(
              "div",
              { class: "roster-who" },
              el("span", { class: "roster-name" }, row.full_name),
              el("span", { class: "small muted" }, [row.staff_code, ...row.units].filter(Boolean).join(" · ")),
              el(
                "span",
                { class: "small roster-state" },
                attendanceLabel(row.status),
                row.method ? ` · ${tOr(`sessions.method.${row.method}`, row.method)}` : "",
                row.via_link_issued_by ? ` · ${t("sessions.viaLink", { name: row.via_link_issued_by })}` : "",
                row.recorded_at ? ` · ${formatDateTime(row.recorded_at)}` : "",
              ),
            ),
            statusButtons(row),
          ),
        ),
      ),
    );
  }

  outlet.replaceChildren(
    el("section", { class: "card" }, head),
    el(
      "section",
      { class: "card", "aria-labelledby": "sheet-title" },
      el("h2", { id: "sheet-title" }, t("sessions.sheet")),
      countsSlot,
      bulkBar,
      sheetAlert,
      sheetDone,
      sheetFilters,
      shownCount,
      sheet,
    ),
  );
  renderHead();
  renderSheet();
  getPlan(session.plan_id)
    .then((plan) => {
      planLabel = [plan.symbol, plan.title].filter(Boolean).join(" — ");
      renderHead();
    })
    .catch(() => {});

  // Self check-ins arrive while the session runs: refresh the sheet now and then.
  timer = setInterval(async () => {
    if (document.hidden || Date.now() < pausedUntil || session.status !== "scheduled") return;
    try {
      const fresh = await getRoster(session.id);
      if (Date.now() < pausedUntil) return;
      if (JSON.stringify(fresh) !== JSON.stringify(roster)) {
        roster = fresh;
        renderSheet();
      }
    } catch {
      // A missed refresh is harmless; the next one will try again.
    }
  }, REFRESH_MS);
  return () => clearInterval(timer);
}
