// Check in to a session: type the 6 digits on the projector, or arrive here from its QR code.
import { linkCheckIn, rememberedLink } from "../api/links.js";
import { checkIn } from "../api/sessions.js";
import { checkinForm } from "../components/checkin-form.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { currentMe } from "../session.js";

export function render(outlet, { code = "" }) {
  const me = currentMe();
  const token = rememberedLink();
  const initial = /^\d{6}$/.test(code) ? code : "";
  let send = null;
  let who = null;
  if (me?.user.participant_id) {
    send = (value) => checkIn(value);
    who = t("checkin.asUser", { name: me.user.display_name || me.user.username });
  } else if (token) {
    send = (value) => linkCheckIn(token, value);
    who = t("checkin.asLink");
  }
  document.title = `${t("checkin.title")} — Lan Tỏa`;
  if (!send) {
    const next = encodeURIComponent(initial ? `/checkin/${initial}` : "/checkin");
    outlet.replaceChildren(
      el(
        "section",
        { class: "card narrow" },
        el("h1", {}, t("checkin.title")),
        me ? el("p", { class: "notice notice-error", role: "alert" }, t("checkin.notStaff")) : null,
        el("p", { class: "lead" }, t("checkin.needIdentity")),
        el("ol", { class: "plain-list" }, el("li", {}, t("checkin.stepLink")), el("li", {}, t("checkin.stepLogin"))),
        me ? null : el("a", { class: "button", href: `#/login?next=${next}` }, t("auth.login")),
      ),
    );
    return;
  }
  const form = checkinForm({ onSubmit: send, initial, autoFocus: !initial });
  outlet.replaceChildren(
    el(
      "section",
      { class: "card narrow checkin-card" },
      el("h1", {}, t("checkin.title")),
      el("p", { class: "muted" }, who),
      form,
      el("p", { class: "small" }, el("a", { href: me?.user.participant_id ? "#/me" : `#/l/${encodeURIComponent(token)}` }, t("checkin.backHome"))),
    ),
  );
  // Opened from the projector's QR code: the code is fresh, send it at once.
  if (initial) form.send();
}
