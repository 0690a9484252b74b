// The teacher's own page (signed in): what to confirm, her sessions and check-in, her tasks.
import { myHome, confirmPlan, writeReflection } from "../api/acknowledgements.js";
import { materialPath } from "../api/plans.js";
import { checkIn } from "../api/sessions.js";
import { quizEntries } from "../components/quiz-entry.js";
import { teacherHome } from "../components/teacher-home.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { currentMe } from "../session.js";
import { loading } from "../ui.js";

export async function render(outlet) {
  outlet.replaceChildren(loading());
  let home;
  try {
    home = await myHome();
  } catch (error) {
    const me = currentMe();
    outlet.replaceChildren(
      el(
        "section",
        { class: "card" },
        el("h1", {}, t("teacher.title")),
        el("p", { class: "notice notice-error", role: "alert" }, error.status === 403 || !me?.user.participant_id ? t("teacher.notStaff") : error.message),
      ),
    );
    return;
  }
  document.title = `${t("teacher.title")} — Lan Tỏa`;
  const quizzes = quizEntries(null);
  teacherHome(outlet, home, {
    signedIn: true,
    historyLink: "#/me/history",
    contestsLink: "#/me/contests",
    confirm: (plan, reflection) => confirmPlan(plan.id, reflection),
    reflect: (plan, text) => writeReflection(plan.acknowledgement.id, text),
    checkin: (code) => checkIn(code),
    materialPath,
    quizEntry: quizzes.entry,
  });
  quizzes.load(outlet);
}
