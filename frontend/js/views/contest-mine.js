// A staff member's contests: by her personal link (#/l/:token/contests) or signed in
// (#/me/contests). Each round shows its window; an open round can be entered (once), a round
// entered shows her entry, to go on with or to see its result.
import { staffContests } from "../api/contests.js";
import { contestEntry } from "../components/contest-entry.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { formatDateTime } from "../lib/format.js";
import { loading, messageSlot, showMessage } from "../ui.js";

export async function render(outlet, { token = null }) {
  const calls = staffContests(token);
  const home = token ? `#/l/${encodeURIComponent(token)}` : "#/me";
  document.title = `${t("contest.mine")} — Lan Tỏa`;
  outlet.replaceChildren(loading());
  let stop = () => {};
  const back = el("p", { class: "small" }, el("a", { href: home }, t("contest.backHome")));

  const open = async (button, entryId, roundId, slot) =>
    busy(button, async () => {
      try {
        const entry = entryId ? await calls.read(entryId) : await calls.start(roundId);
        const box = el("div", {});
        outlet.replaceChildren(box, back);
        stop = contestEntry(box, entry, {
          read: () => calls.read(entry.id),
          save: (answers) => calls.save(entry.id, answers),
          submit: (answers, tiebreak) => calls.submit(entry.id, answers, tiebreak),
        });
        window.scrollTo(0, 0);
      } catch (error) {
        showMessage(slot, error.message);
      }
    });

  let mine;
  try {
    mine = await calls.list();
  } catch (error) {
    outlet.replaceChildren(el("section", { class: "card narrow" }, el("h1", {}, t("contest.mine")), el("p", { class: "notice notice-error", role: "alert" }, error.status === 404 ? t("link.dead") : error.message)));
    return;
  }
  const cards = mine.map(({ contest, entries }) => {
    const slot = messageSlot();
    return el(
      "section",
      { class: "card contest-card" },
      el("h2", {}, contest.title),
      el("p", { class: "small muted" }, t("contest.organiser", { name: contest.organization_name })),
      contest.rules ? el("details", {}, el("summary", {}, t("contest.rules")), el("p", { class: "pre" }, contest.rules)) : null,
      el(
        "ul",
        { class: "plain-list contest-rounds" },
        contest.rounds.map((round) => {
          const entryId = entries[String(round.id)];
          let action = null;
          if (entryId) {
            const b = el("button", { type: "button", class: "button button-secondary" }, t("contest.myEntry"));
            b.addEventListener("click", () => open(b, entryId, round.id, slot));
            action = b;
          } else if (round.state === "open") {
            const b = el("button", { type: "button", class: "button button-big" }, t("contest.enter"));
            b.addEventListener("click", () => open(b, null, round.id, slot));
            action = b;
          }
          return el(
            "li",
            { class: "contest-round" },
            el("strong", {}, t("contest.roundN", { n: round.number })),
            " ",
            el("span", { class: `badge badge-${round.state === "open" ? "ok" : "off"}` }, t(`contest.state.${round.state}`)),
            el("p", { class: "small" }, t("contest.window", { from: formatDateTime(round.opens_at), to: formatDateTime(round.closes_at) })),
            el("p", { class: "small muted" }, t("contest.shape", { n: round.question_count, minutes: round.time_limit_minutes })),
            action,
          );
        }),
      ),
      contest.published ? el("p", {}, el("a", { class: "button button-secondary", href: `#/contest/${encodeURIComponent(contest.public_token)}/results` }, t("contest.seeResults"))) : null,
      slot,
    );
  });
  outlet.replaceChildren(
    el("h1", {}, t("contest.mine")),
    ...(cards.length ? cards : [el("p", { class: "empty" }, t("contest.none"))]),
    back,
  );
  return () => stop();
}
