// A list screen: filters and the page kept in the address (a copied link shows the same list),
// one page of results at a time under a summary line, a pager, and only the newest request
// drawn when filters change faster than the server answers.
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { latestRequests } from "../lib/busy.js";
import { currentQuery, replaceQuery } from "../router.js";
import { field, input, messageSlot, showMessage, loading } from "../ui.js";

// fn, called once `ms` after the last of a burst of calls; cancel() drops a pending one.
function debounce(fn, ms) {
  let timer = null;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  wrapped.cancel = () => clearTimeout(timer);
  return wrapped;
}

// Previous / next buttons and "page x of y"; goTo(page) loads that page.
function renderPager(pager, page, pages, goTo) {
  const prev = el("button", { type: "button", class: "button button-secondary", disabled: page <= 1 }, t("pager.prev"));
  const next = el("button", { type: "button", class: "button button-secondary", disabled: page >= pages }, t("pager.next"));
  prev.addEventListener("click", () => goTo(page - 1));
  next.addEventListener("click", () => goTo(page + 1));
  pager.replaceChildren(prev, el("span", { class: "pager-info" }, t("pager.page", { page, pages })), next);
  pager.hidden = pages <= 1;
}

// state: the filters, as the view read them from the address (the page is added here).
// address(state): the filters as the address keeps them ("" leaves one out).
// fetch(state, { limit, offset }): a promise of { items, total }.
// draw(data): the results (the view's own empty message when there are none).
// summary(data): the line above them, e.g. "42 people".
// pageSize: a number, or a function of the state (a board shows more than a page).
export function listScreen({ state, pageSize, address, fetch, draw, summary }) {
  state.page = Math.max(1, Number(currentQuery().get("page")) || 1);
  const alert = messageSlot("error");
  const summaryLine = el("p", { class: "summary", role: "status", "aria-live": "polite" });
  const results = el("div", { class: "results" }, loading());
  const pager = el("nav", { class: "pager", "aria-label": t("pager.label") });
  const requests = latestRequests(results);
  const stops = [requests.cancel];

  async function load() {
    replaceQuery({ ...address(state), page: state.page > 1 ? state.page : "" });
    const size = typeof pageSize === "function" ? pageSize(state) : pageSize;
    const outcome = await requests.run(() => fetch(state, { limit: size, offset: (state.page - 1) * size }));
    if (!outcome) return;
    if (outcome.error) {
      results.replaceChildren();
      showMessage(alert, outcome.error.message);
      return;
    }
    const data = outcome.data;
    const pages = Math.max(1, Math.ceil(data.total / size));
    // A page past the end (an old link, rows gone since): the last page instead.
    if (state.page > pages) {
      state.page = pages;
      await load();
      return;
    }
    showMessage(alert, "");
    summaryLine.textContent = summary(data);
    results.replaceChildren(draw(data));
    renderPager(pager, state.page, pages, (page) => {
      state.page = page;
      load().then(() => summaryLine.scrollIntoView({ block: "nearest" }));
    });
  }

  // A filter changed: its value into the state, and the list from its first page.
  function refilter(key, value) {
    state[key] = value;
    state.page = 1;
    return load();
  }

  return {
    alert,
    summary: summaryLine,
    results,
    pager,
    load,
    refilter,
    // What a list screen shows under its filters: errors, `notices`, the summary, results, pager.
    parts(...notices) {
      return [alert, ...notices, summaryLine, results, pager];
    },
    // Reload whenever one of the controls ({ key: control }) changes; its value goes to state[key]
    // (a date field's: the ISO day it understood, its data-value).
    watch(controls) {
      for (const [key, control] of Object.entries(controls)) {
        control.addEventListener("change", () => {
          const value = control.dataset.value ?? control.value;
          if (value !== state[key]) refilter(key, value);
        });
      }
    },
    // The search field (state.q), reloading a moment after typing stops.
    searchField({ label, hint, className }) {
      const box = input({ name: "q", type: "search", value: state.q, autocomplete: "off", enterkeyhint: "search" });
      const later = debounce(() => refilter("q", box.value), 300);
      box.addEventListener("input", later);
      stops.push(later.cancel);
      return field({ label, input: box, hint, className });
    },
    // The screen is going away: no pending search, no late answer.
    stop() {
      stops.forEach((fn) => fn());
    },
  };
}

// A form that only filters: Enter in its search box must not submit it.
export function searchForm(className, ...fields) {
  return el("form", { class: className, role: "search", onsubmit: (e) => e.preventDefault() }, ...fields);
}

// Filters folded under their summary on a phone; open on a wide screen, or when one is set.
export function filtersPanel({ label, filtered, fields, extra = null }) {
  return el(
    "details",
    { class: "filters", open: window.matchMedia("(min-width: 48rem)").matches || Boolean(filtered) },
    el("summary", {}, label),
    el("div", { class: "filter-grid" }, fields),
    extra,
  );
}
