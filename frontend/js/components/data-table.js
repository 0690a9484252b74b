// Tables of records: a table on a wide screen, one card per row on a phone (CSS), keeping the
// table's meaning for screen readers either way.
import { el } from "../dom.js";

// Keep table semantics when CSS turns rows into cards on a phone (display: block drops them).
export function tableRoles(table) {
  table.setAttribute("role", "table");
  table.querySelectorAll("thead, tbody").forEach((n) => n.setAttribute("role", "rowgroup"));
  table.querySelectorAll("tr").forEach((n) => n.setAttribute("role", "row"));
  table.querySelectorAll("th[scope=col]").forEach((n) => n.setAttribute("role", "columnheader"));
  table.querySelectorAll("th[scope=row]").forEach((n) => n.setAttribute("role", "rowheader"));
  table.querySelectorAll("td").forEach((n) => n.setAttribute("role", "cell"));
  return table;
}

// A responsive table: `caption` for screen readers, `headers` as texts (or ready <th> nodes),
// `rows` as <tr> nodes; `className` names the table for its own column styles.
export function dataTable({ caption, headers, rows, className = "" }) {
  return tableRoles(
    el(
      "table",
      { class: `data-table responsive ${className}`.trim() },
      el("caption", { class: "visually-hidden" }, caption),
      el("thead", {}, el("tr", {}, headers.map((h) => (h instanceof Node ? h : el("th", { scope: "col" }, h))))),
      el("tbody", {}, rows),
    ),
  );
}

// A cell labelled for its card on a phone: its content in one block (the card's grid puts the
// label beside it, so a badge keeps its width and a second line stays under the first); a cell
// with nothing in it is left empty, which the phone's card leaves out.
export function labelledCell(label, ...content) {
  const kept = content.flat().filter((part) => part !== null && part !== undefined && part !== "" && part !== false);
  return el("td", { "data-label": label }, kept.length ? el("div", {}, ...kept) : null);
}
