// The personal link page: no password; the token in the address is the credential.
import { linkHome, linkConfirm, linkReflect, linkCheckIn, linkMaterialPath, rememberLink, forgetLink } from "../api/links.js";
import { quizEntries } from "../components/quiz-entry.js";
import { teacherHome } from "../components/teacher-home.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { loading } from "../ui.js";
import { keepForOffline, outbox } from "../lib/offline.js";

export async function render(outlet, { token }) {
  outlet.replaceChildren(loading());
  let home;
  try {
    home = await linkHome(token);
  } catch (error) {
    if (error.status === 404) forgetLink(token);
    outlet.replaceChildren(
      el(
        "section",
        { class: "card narrow" },
        el("h1", {}, t("link.title")),
        el("p", { class: "notice notice-error", role: "alert" }, error.status === 404 ? t("link.dead") : error.message),
        error.status === 404 ? el("p", {}, t("link.askSchool")) : null,
      ),
    );
    return;
  }
  rememberLink(token);
  document.title = `${home.person.full_name} — Lan Tỏa`;
  const quizzes = quizEntries(token);
  const draw = (fresh) => {
    teacherHome(outlet, kept.apply(fresh), {
      signedIn: false,
      checkinLink: "#/checkin",
      historyLink: `#/l/${encodeURIComponent(token)}/history`,
      contestsLink: `#/l/${encodeURIComponent(token)}/contests`,
      ...kept.ops,
      materialPath: (planId, materialId) => linkMaterialPath(token, materialId),
      quizEntry: quizzes.entry,
    });
    outlet.append(el("p", { class: "small muted link-note" }, t("link.keep")));
  };
  // Acts made without a connection wait on the phone; once sent, the page is read again.
  const kept = outbox(
    token,
    {
      confirm: (planId, reflection) => linkConfirm(token, planId, reflection),
      reflect: (planId, text) => linkReflect(token, planId, text),
      checkin: (code) => linkCheckIn(token, code),
    },
    () => linkHome(token).then(draw, () => {}),
  );
  draw(home);
  quizzes.load(outlet);
  keepForOffline(() => linkHome(token));
  return kept.stop;
}
