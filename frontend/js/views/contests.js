// The organiser's contests on a plan (#/plans/:id/contests): open one (title, rules, rounds,
// whether invited people may enter), share its public link, watch each round's leaderboards,
// export the results and publish them. A round that has opened is frozen (shown, not edited).
import { contestExportPath, createContest, groupBoard, peopleBoard, planContests, publishContest, updateContest } from "../api/contests.js";
import { getPlan } from "../api/plans.js";
import { boardTabs } from "../components/contest-boards.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { downloadFile } from "../lib/download.js";
import { formatDateTime } from "../lib/format.js";
import { zonedInstant, zonedParts } from "../lib/zone.js";
import { can } from "../session.js";
import { field, input, loading, messageSlot, pageHeader, reportError, select, showMessage } from "../ui.js";

const publicUrl = (contest) => `${location.origin}${location.pathname}#/contest/${encodeURIComponent(contest.public_token)}`;

// An instant as a datetime-local value in the server's zone, and back.
function localValue(iso) {
  if (!iso) return "";
  const p = zonedParts(iso);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}
const instant = (value) => (value ? zonedInstant(value.slice(0, 10), value.slice(11, 16)) : "");

export async function render(outlet, { id }) {
  outlet.replaceChildren(loading());
  let plan;
  let contests;
  try {
    [plan, contests] = await Promise.all([getPlan(id), planContests(id)]);
  } catch (error) {
    outlet.replaceChildren(el("p", { class: "notice notice-error", role: "alert" }, error.message));
    return;
  }
  document.title = `${t("contest.screen")} — ${plan.title}`;
  const mayWrite = can("plans:write") && plan.status !== "closed";
  const list = el("div", { class: "stack" });
  const draw = () => {
    list.replaceChildren(...(contests.length ? contests.map((c) => contestCard(c, { mayWrite, edit })) : [el("p", { class: "empty" }, t("contest.noneYet"))]));
  };
  const edit = (contest) => {
    const form = contestForm(contest, {
      save: (body) => (contest ? updateContest(contest.id, body) : createContest(plan.id, body)),
      done: (saved) => {
        contests = contest ? contests.map((c) => (c.id === saved.id ? saved : c)) : [...contests, saved];
        draw();
      },
      cancel: draw,
    });
    list.replaceChildren(form);
    form.querySelector("input")?.focus();
  };
  const create = mayWrite ? el("button", { type: "button", class: "button" }, t("contest.new")) : null;
  create?.addEventListener("click", () => edit(null));
  outlet.replaceChildren(
    el("p", { class: "back" }, el("a", { href: `#/plans/${plan.id}` }, `← ${plan.symbol || plan.title}`)),
    pageHeader(t("contest.screen"), create),
    el("p", { class: "lead" }, plan.title),
    list,
  );
  draw();
}

function contestCard(contest, { mayWrite, edit }) {
  const slot = messageSlot();
  const link = el("input", { class: "input mono", readonly: true, value: publicUrl(contest), "aria-label": t("contest.publicLink") });
  const copy = el("button", { type: "button", class: "button button-secondary" }, t("copy.button"));
  copy.addEventListener("click", async () => {
    link.select();
    try {
      await navigator.clipboard.writeText(link.value);
      showMessage(slot, t("copy.done"), "success");
    } catch {
      showMessage(slot, t("copy.manually"));
    }
  });
  const actions = el("div", { class: "actions" });
  if (mayWrite) {
    const change = el("button", { type: "button", class: "button button-secondary" }, t("contest.edit"));
    change.addEventListener("click", () => edit(contest));
    const publish = el("button", { type: "button", class: "button" }, t(contest.published_at ? "contest.unpublish" : "contest.publish"));
    publish.addEventListener("click", () =>
      busy(publish, async () => {
        try {
          Object.assign(contest, await publishContest(contest.id, !contest.published_at));
          card.replaceWith(contestCard(contest, { mayWrite, edit }));
        } catch (error) {
          showMessage(slot, error.message);
        }
      }),
    );
    actions.append(change, publish);
  }
  const xlsx = el("button", { type: "button", class: "button button-secondary" }, t("contest.export"));
  xlsx.addEventListener("click", () =>
    busy(xlsx, async () => {
      try {
        await downloadFile(contestExportPath(contest.id), `ket-qua-cuoc-thi-${contest.id}.xlsx`);
      } catch (error) {
        showMessage(slot, error.message);
      }
    }),
  );
  actions.append(xlsx);
  const boards = el("div", {});
  const showRound = (round) =>
    boards.replaceChildren(
      boardTabs((tab) => (tab === "people" ? peopleBoard(contest.id, round.id, { limit: 500 }) : groupBoard(contest.id, round.id, tab))),
    );
  const roundPicker =
    contest.rounds.length > 1
      ? select({ "aria-label": t("contest.round") }, contest.rounds.map((r) => [r.id, `${t("contest.roundN", { n: r.number })} — ${t(`contest.state.${r.state}`)}`]), contest.rounds[0].id)
      : null;
  roundPicker?.addEventListener("change", () => showRound(contest.rounds.find((r) => r.id === Number(roundPicker.value))));
  const card = el(
    "section",
    { class: "card contest-card" },
    el("h2", {}, contest.title),
    el(
      "p",
      { class: "small" },
      el("span", { class: `badge badge-${contest.published_at ? "ok" : "off"}` }, contest.published_at ? t("contest.published", { date: formatDateTime(contest.published_at) }) : t("contest.notPublished")),
      " ",
      contest.public_entries ? t("contest.openToPublic") : t("contest.staffOnlyShort"),
    ),
    el(
      "ul",
      { class: "plain-list contest-rounds" },
      contest.rounds.map((r) =>
        el(
          "li",
          {},
          el("strong", {}, t("contest.roundN", { n: r.number })),
          ` · ${t(`contest.state.${r.state}`)} · ${t("contest.window", { from: formatDateTime(r.opens_at), to: formatDateTime(r.closes_at) })} · ${t("contest.shape", { n: r.question_count, minutes: r.time_limit_minutes })}`,
        ),
      ),
    ),
    el("label", { for: link.id || (link.id = `link-${contest.id}`) }, t("contest.publicLink")),
    el("div", { class: "copy-row" }, link, copy),
    el("p", { class: "small muted" }, t(contest.public_entries ? "contest.publicLinkHelp" : "contest.publicLinkResults")),
    actions,
    slot,
    el("h3", {}, t("contest.boards")),
    roundPicker ? field({ label: t("contest.round"), input: roundPicker }) : null,
    boards,
  );
  showRound(contest.rounds[0]);
  return card;
}

function roundFieldset(round, index, remove) {
  const frozen = round && round.state && round.state !== "upcoming";
  const opens = input({ type: "datetime-local", name: `rounds.${index}.opens_at`, value: localValue(round?.opens_at), disabled: frozen });
  const closes = input({ type: "datetime-local", name: `rounds.${index}.closes_at`, value: localValue(round?.closes_at), disabled: frozen });
  const count = input({ type: "number", name: `rounds.${index}.question_count`, min: "1", max: "100", value: round?.question_count ?? 10, disabled: frozen });
  const limit = input({ type: "number", name: `rounds.${index}.time_limit_minutes`, min: "1", max: "240", value: round?.time_limit_minutes ?? 15, disabled: frozen });
  const tiebreak = input({ name: `rounds.${index}.tiebreak_question`, value: round?.tiebreak_question ?? t("contest.tiebreakDefault"), disabled: frozen });
  const drop = frozen ? null : el("button", { type: "button", class: "button button-secondary" }, t("contest.removeRound"));
  drop?.addEventListener("click", () => remove(box));
  const box = el(
    "fieldset",
    { class: "field contest-round-fields" },
    el("legend", {}, round?.number ? t("contest.roundN", { n: round.number }) : t("contest.newRound")),
    frozen ? el("p", { class: "small muted" }, t("contest.frozen")) : null,
    el(
      "div",
      { class: "form-grid" },
      field({ label: t("contest.opensAt"), input: opens, required: true }),
      field({ label: t("contest.closesAt"), input: closes, required: true }),
      field({ label: t("contest.questionCount"), input: count, required: true }),
      field({ label: t("contest.timeLimit"), input: limit, required: true }),
    ),
    field({ label: t("contest.tiebreakQuestion"), input: tiebreak, required: true }),
    drop,
  );
  box.read = () => ({
    ...(round?.id ? { id: round.id } : {}),
    opens_at: frozen ? round.opens_at : instant(opens.value),
    closes_at: frozen ? round.closes_at : instant(closes.value),
    question_count: Number(count.value),
    time_limit_minutes: Number(limit.value),
    tiebreak_question: tiebreak.value,
  });
  return box;
}

function contestForm(contest, { save, done, cancel }) {
  const title = input({ name: "title", value: contest?.title ?? t("contest.titleDefault") });
  const rules = el("textarea", { class: "input", name: "rules", rows: "4" }, contest?.rules ?? "");
  const open = el("input", { type: "checkbox", name: "public_entries", checked: contest?.public_entries ?? false });
  const rounds = el("div", { class: "stack" });
  const remove = (box) => box.remove();
  (contest?.rounds ?? [null]).forEach((r, i) => rounds.append(roundFieldset(r, i, remove)));
  const more = el("button", { type: "button", class: "button button-secondary" }, t("contest.addRound"));
  more.addEventListener("click", () => rounds.append(roundFieldset(null, rounds.children.length, remove)));
  const slot = messageSlot();
  const send = el("button", { type: "submit", class: "button" }, t("contest.save"));
  const back = el("button", { type: "button", class: "button button-secondary" }, t("contest.cancel"));
  back.addEventListener("click", cancel);
  const form = el(
    "form",
    { class: "card stack", novalidate: true },
    el("h2", {}, contest ? t("contest.edit") : t("contest.new")),
    field({ label: t("contest.titleLabel"), input: title, required: true }),
    field({ label: t("contest.rules"), input: rules }),
    el("label", { class: "check" }, open, el("span", {}, t("contest.publicEntries"))),
    el("p", { class: "hint" }, t("contest.publicEntriesHint")),
    rounds,
    more,
    slot,
    el("div", { class: "actions" }, send, back),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = { title: title.value, rules: rules.value, public_entries: open.checked, rounds: [...rounds.children].map((box) => box.read()) };
    busy(send, async () => {
      try {
        done(await save(body));
      } catch (error) {
        reportError(form, slot, error);
      }
    });
  });
  return form;
}
