// The announcement (#/contest/:token/results): once the organiser publishes it, anyone with
// the contest's link sees the leaderboards of each round that has closed (a round still open
// is only named); phones come masked from the server.
import { publicContest } from "../api/contests.js";
import { boardTabs } from "../components/contest-boards.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { formatDateTime } from "../lib/format.js";
import { loading } from "../ui.js";

export async function render(outlet, { token }) {
  outlet.replaceChildren(loading());
  let results;
  try {
    results = await publicContest(token).results();
  } catch (error) {
    outlet.replaceChildren(el("section", { class: "card narrow" }, el("h1", {}, t("contest.results")), el("p", { class: "notice", role: "status" }, error.message)));
    return;
  }
  document.title = `${t("contest.results")} — ${results.contest.title}`;
  outlet.replaceChildren(
    el("h1", { class: "contest-title" }, results.contest.title),
    el("p", { class: "lead" }, t("contest.announced", { name: results.contest.organization_name, date: formatDateTime(results.published_at) })),
    ...results.rounds.map((r) =>
      el(
        "section",
        { class: "card" },
        el("h2", {}, t("contest.roundN", { n: r.round.number })),
        el("p", { class: "small muted" }, t("contest.window", { from: formatDateTime(r.round.opens_at), to: formatDateTime(r.round.closes_at) })),
        boardTabs(async (tab) => r[tab]),
      ),
    ),
    ...results.contest.rounds
      .filter((r) => r.state !== "closed")
      .map((r) => el("p", { class: "notice notice-info", role: "note" }, t("contest.notYetRanked", { n: r.number, to: formatDateTime(r.closes_at) }))),
  );
}
