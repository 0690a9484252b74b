// The personal link page: no password; the token in the address is the credential.
import { linkHome, linkConfirm, linkReflect, linkCheckIn, linkMaterialPath, rememberLink, forgetLink } from "../api/links.js";
import { teacherHome } from "../components/teacher-home.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { loading } from "../ui.js";

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
  teacherHome(outlet, home, {
    signedIn: false,
    checkinLink: "#/checkin",
    confirm: (plan, reflection) => linkConfirm(token, plan.id, reflection),
    reflect: (plan, text) => linkReflect(token, plan.id, text),
    checkin: (code) => linkCheckIn(token, code),
    materialPath: (planId, materialId) => linkMaterialPath(token, materialId),
  });
  outlet.append(el("p", { class: "small muted link-note" }, t("link.keep")));
}
