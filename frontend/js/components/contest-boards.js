// A round's leaderboards as three tabs: people, schools, districts. The organiser's screen
// and the public announcement draw the same tables (the public one gets phones masked).
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { dataTable, labelledCell } from "./data-table.js";
import { duration } from "./contest-entry.js";
import { nextId } from "../ui.js";

const TABS = ["people", "schools", "districts"];

function peopleTable(board) {
  if (!board.items.length) return el("p", { class: "empty" }, t("contest.noEntries"));
  const h = ["rank", "name", "school", "district", "phone", "score", "time", "guess"].map((k) => t(`contest.col.${k}`));
  return dataTable({
    caption: t("contest.tab.people"),
    headers: h,
    className: "contest-board",
    rows: board.items.map((r) =>
      el(
        "tr",
        {},
        labelledCell(h[0], el("span", { class: "contest-rank" }, r.rank)),
        labelledCell(h[1], r.full_name, r.public_entry ? el("span", { class: "tag" }, t("contest.invited")) : null),
        labelledCell(h[2], r.school_name),
        labelledCell(h[3], r.district_name),
        labelledCell(h[4], r.phone),
        labelledCell(h[5], `${r.score}/${r.total}`),
        labelledCell(h[6], duration(r.duration_ms)),
        labelledCell(h[7], r.tiebreak),
      ),
    ),
  });
}

function groupTable(board, by) {
  if (!board.items.length) return el("p", { class: "empty" }, t("contest.noEntries"));
  const h = ["rank", by === "schools" ? "school" : "district", "entries", "average", "best"].map((k) => t(`contest.col.${k}`));
  return dataTable({
    caption: t(`contest.tab.${by}`),
    headers: h,
    className: "contest-board",
    rows: board.items.map((r) =>
      el(
        "tr",
        {},
        labelledCell(h[0], el("span", { class: "contest-rank" }, r.rank)),
        labelledCell(h[1], r.name === "—" ? t("contest.noDistrict") : r.name),
        labelledCell(h[2], r.entries),
        labelledCell(h[3], r.average_score.toLocaleString("vi-VN")),
        labelledCell(h[4], r.best_score),
      ),
    ),
  });
}

// load(tab) → the board for that tab ({items} of people or of groups), fetched when first shown.
export function boardTabs(load) {
  const panel = el("div", { class: "contest-panel", role: "tabpanel", tabindex: "-1" });
  const buttons = TABS.map((tab) => el("button", { type: "button", role: "tab", id: nextId("tab"), class: "contest-tab" }, t(`contest.tab.${tab}`)));
  const show = async (index) => {
    buttons.forEach((b, i) => {
      b.setAttribute("aria-selected", String(i === index));
      b.tabIndex = i === index ? 0 : -1;
    });
    panel.setAttribute("aria-labelledby", buttons[index].id);
    panel.setAttribute("aria-busy", "true");
    try {
      const board = await load(TABS[index]);
      panel.replaceChildren(index === 0 ? peopleTable(board) : groupTable(board, TABS[index]));
      if (index > 0) panel.append(el("p", { class: "small muted" }, t("contest.groupRule")));
      else panel.append(el("p", { class: "small muted" }, t("contest.personRule", { n: board.entries })));
    } catch (error) {
      panel.replaceChildren(el("p", { class: "notice notice-error", role: "alert" }, error.message));
    }
    panel.removeAttribute("aria-busy");
  };
  buttons.forEach((b, i) => {
    b.addEventListener("click", () => show(i));
    b.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = (i + step + TABS.length) % TABS.length;
      buttons[next].focus();
      show(next);
    });
  });
  show(0);
  return el("div", { class: "contest-tabs" }, el("div", { role: "tablist", class: "contest-tablist", "aria-label": t("contest.boards") }, buttons), panel);
}
