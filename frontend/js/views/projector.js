// The projector: the session's rotating 6-digit code and its QR, huge, with a countdown.
import { getCheckinCode, getSession } from "../api/sessions.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { formatTime, formatTimeSpan } from "../lib/format.js";

const POLL_MS = 3000;

export async function render(outlet, { id }) {
  document.body.classList.add("projector-mode");
  const title = el("h1", { class: "projector-title" }, t("app.loading"));
  const when = el("p", { class: "projector-when" });
  const code = el("p", { class: "projector-code", "aria-live": "off" });
  const qr = el("img", { class: "projector-qr", alt: t("sessions.qrAlt"), hidden: true });
  const countdown = el("p", { class: "projector-countdown" });
  const bar = el("div", { class: "projector-bar" }, el("div", { class: "projector-bar-fill" }));
  const state = el("p", { class: "projector-state", role: "status" });
  const count = el("p", { class: "projector-count", "aria-live": "polite" });
  const howto = el("ol", { class: "projector-howto" }, el("li", {}, t("sessions.howto1")), el("li", {}, t("sessions.howto2")), el("li", {}, t("sessions.howto3")));
  const urlLine = el("p", { class: "projector-url" });
  const full = el("button", { type: "button", class: "button button-secondary projector-full" }, t("sessions.fullscreen"));
  full.addEventListener("click", () => {
    if (document.fullscreenElement) document.exitFullscreen?.();
    else document.documentElement.requestFullscreen?.().catch(() => {});
  });
  const tools = el(
    "div",
    { class: "projector-tools" },
    el("a", { class: "button button-secondary", href: `#/sessions/${id}` }, `← ${t("sessions.backToSheet")}`),
    full,
  );
  const codeBox = el("div", { class: "projector-codebox" }, el("p", { class: "projector-label" }, t("sessions.codeLabel")), code, countdown, bar);
  outlet.replaceChildren(
    el(
      "section",
      { class: "projector" },
      tools,
      title,
      when,
      state,
      el("div", { class: "projector-main" }, codeBox, el("div", { class: "projector-qrbox" }, qr, urlLine)),
      el("div", { class: "projector-foot" }, howto, count),
    ),
  );

  let deadline = 0;
  let period = 20;
  let current = null;
  let stopped = false;
  let pollTimer = null;
  let tickTimer = null;
  let loadingCode = false;

  async function loadCode() {
    if (loadingCode || stopped) return;
    loadingCode = true;
    try {
      const data = await getCheckinCode(id);
      if (stopped) return;
      period = data.period_seconds;
      deadline = Date.now() + data.valid_for_seconds * 1000;
      if (data.open) {
        state.textContent = "";
        state.hidden = true;
        codeBox.hidden = false;
        qr.hidden = false;
        if (current !== data.code) {
          current = data.code;
          code.textContent = `${data.code.slice(0, 3)} ${data.code.slice(3)}`;
          code.setAttribute("data-code", data.code);
          code.setAttribute("aria-label", data.code.split("").join(" "));
          qr.src = data.qr_svg_data_uri;
          urlLine.textContent = data.checkin_url.replace(/\/#\/checkin\/\d+$/, "/#/checkin");
        }
      } else {
        current = null;
        codeBox.hidden = true;
        qr.hidden = true;
        qr.removeAttribute("src");
        urlLine.textContent = "";
        state.hidden = false;
        state.textContent = Date.now() < new Date(data.opens_at).getTime()
          ? t("sessions.notOpenYet", { time: formatTime(data.opens_at) })
          : t("sessions.closedNow", { time: formatTime(data.closes_at) });
      }
      tick();
    } catch (error) {
      state.hidden = false;
      state.textContent = error.status ? error.message : t("sessions.projectorOffline");
    } finally {
      loadingCode = false;
    }
  }

  async function loadSession() {
    try {
      const s = await getSession(id);
      if (stopped) return;
      title.textContent = s.title;
      when.textContent = [formatTimeSpan(s.starts_at, s.ends_at), s.place].filter(Boolean).join(" · ");
      document.title = `${s.title} — Lan Tỏa`;
      const c = s.counts;
      count.textContent = t("sessions.projectorCount", { here: c.present + c.late, audience: c.audience });
      if (s.status === "cancelled") {
        state.hidden = false;
        state.textContent = t("sessions.status.cancelled");
      }
    } catch {
      // The code still shows; the title waits for the next round.
    }
  }

  function tick() {
    const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    countdown.textContent = t("sessions.codeChanges", { n: left });
    bar.firstChild.className = `projector-bar-fill w-${Math.round((left / period) * 20) * 5}`;
    if (left <= 0 && current) loadCode();
  }

  await Promise.all([loadCode(), loadSession()]);
  let round = 0;
  pollTimer = setInterval(() => {
    loadCode();
    round += 1;
    if (round % 2 === 0) loadSession();
  }, POLL_MS);
  tickTimer = setInterval(tick, 500);
  return () => {
    stopped = true;
    clearInterval(pollTimer);
    clearInterval(tickTimer);
    document.body.classList.remove("projector-mode");
    if (document.fullscreenElement) document.exitFullscreen?.().catch(() => {});
  };
}
