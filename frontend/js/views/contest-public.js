// The contest's public link (#/contest/:token): an invited person, without an account, gives
// her phone, name and school, and takes an open round once. Her entry's key stays on this phone,
// so coming back (or a second tab) goes on with the same entry.
import { publicContest } from "../api/contests.js";
import { contestEntry } from "../components/contest-entry.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { formatDateTime } from "../lib/format.js";
import { field, input, loading, messageSlot, reportError, select } from "../ui.js";

const OTHER = "other";
const keyName = (token, roundId) => `lantoa.contest.${token}.${roundId}`;

function remembered(token, roundId) {
  try {
    return localStorage.getItem(keyName(token, roundId));
  } catch {
    return null;
  }
}

function remember(token, roundId, key) {
  try {
    localStorage.setItem(keyName(token, roundId), key);
  } catch {
    // Private mode: she goes on in this tab only.
  }
}

export async function render(outlet, { token }) {
  const calls = publicContest(token);
  outlet.replaceChildren(loading());
  let info;
  try {
    info = await calls.info();
  } catch (error) {
    outlet.replaceChildren(el("section", { class: "card narrow" }, el("h1", {}, t("contest.title")), el("p", { class: "notice notice-error", role: "alert" }, error.status === 404 ? t("contest.deadLink") : error.message)));
    return;
  }
  document.title = `${info.title} — Lan Tỏa`;
  let stop = () => {};
  const take = (entry) => {
    remember(token, entry.round_id, entry.key);
    const box = el("div", {});
    outlet.replaceChildren(el("h1", { class: "contest-title" }, info.title), box);
    stop = contestEntry(box, entry, {
      read: () => calls.read(entry.key),
      save: (answers) => calls.save(entry.key, answers),
      submit: (answers, tiebreak) => calls.submit(entry.key, answers, tiebreak),
    });
    window.scrollTo(0, 0);
  };
  const round = info.rounds.find((r) => r.state === "open");
  const kept = round ? remembered(token, round.id) : null;
  if (kept) {
    try {
      take(await calls.read(kept));
      return () => stop();
    } catch {
      // The key is no longer good (another contest, or cleared): she enters again.
    }
  }
  outlet.replaceChildren(
    el(
      "section",
      { class: "card narrow contest-card" },
      el("h1", { class: "contest-title" }, info.title),
      el("p", { class: "small muted" }, t("contest.organiser", { name: info.organization_name })),
      info.rules ? el("details", {}, el("summary", {}, t("contest.rules")), el("p", { class: "pre" }, info.rules)) : null,
      el(
        "ul",
        { class: "plain-list contest-rounds" },
        info.rounds.map((r) =>
          el(
            "li",
            { class: "contest-round" },
            el("strong", {}, t("contest.roundN", { n: r.number })),
            " ",
            el("span", { class: `badge badge-${r.state === "open" ? "ok" : "off"}` }, t(`contest.state.${r.state}`)),
            el("p", { class: "small" }, t("contest.window", { from: formatDateTime(r.opens_at), to: formatDateTime(r.closes_at) })),
          ),
        ),
      ),
      round && info.public_entries ? entryForm(info, round, calls, take) : el("p", { class: "notice" }, t(info.public_entries ? "contest.noOpenRound" : "contest.staffOnly")),
      info.published ? el("p", {}, el("a", { class: "button button-secondary", href: `#/contest/${encodeURIComponent(token)}/results` }, t("contest.seeResults"))) : null,
    ),
  );
  return () => stop();
}

function entryForm(info, round, calls, take) {
  const phone = input({ type: "tel", name: "phone", autocomplete: "tel", inputmode: "tel", placeholder: "0905 123 456" });
  const name = input({ name: "full_name", autocomplete: "name" });
  const school = select({ name: "school_id" }, [["", t("contest.chooseSchool")], ...info.schools.map((s) => [s.id, s.name]), [OTHER, t("contest.otherSchool")]], "");
  const typed = input({ name: "school_name" });
  const typedField = field({ label: t("contest.schoolName"), input: typed });
  typedField.hidden = true;
  school.addEventListener("change", () => {
    typedField.hidden = school.value !== OTHER;
  });
  const slot = messageSlot();
  const go = el("button", { type: "submit", class: "button button-big" }, t("contest.enterRound", { n: round.number }));
  const form = el(
    "form",
    { class: "stack", novalidate: true },
    el("h2", {}, t("contest.aboutYou")),
    field({ label: t("contest.phone"), input: phone, hint: t("contest.phoneHint"), required: true }),
    field({ label: t("contest.fullName"), input: name, required: true }),
    field({ label: t("contest.school"), input: school, required: true, errorsFor: "school_name" }),
    typedField,
    el("p", { class: "small muted" }, t("contest.shape", { n: round.question_count, minutes: round.time_limit_minutes })),
    slot,
    go,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = school.value && school.value !== OTHER ? Number(school.value) : null;
    const body = { full_name: name.value, phone: phone.value, school_id: chosen, school_name: chosen ? null : typed.value };
    busy(go, async () => {
      try {
        take(await calls.start(round.id, body));
      } catch (error) {
        reportError(form, slot, error, { fields: { phone, full_name: name, school_id: school, school_name: typed } });
      }
    });
  });
  return form;
}
