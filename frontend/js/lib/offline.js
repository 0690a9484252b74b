// The teacher's outbox: a confirmation, a reflection or a check-in made on her link page while
// the phone has no connection is kept on the phone (localStorage) and sent, in the order made,
// when the connection returns; until then it reads "chờ gửi". Sending twice creates nothing
// twice: the server answers a repeated confirmation with the one it has (200), a reflection
// is replaced, a repeated check-in is refused as already made.
import { el } from "../dom.js";
import { t } from "../i18n/index.js";

const KEY = "lantoa.outbox";
const RETRY_MS = 20000;

function load() {
  try {
    return JSON.parse(localStorage.getItem(KEY)) || [];
  } catch {
    return [];
  }
}

function save(list) {
  localStorage.setItem(KEY, JSON.stringify(list));
}

// Only a request that never reached the server is kept; the server's refusals are shown.
const unreachable = (error) => error?.status === 0;

// The first visit reads the page before the service worker runs (it starts once the page has
// loaded); when it takes over, read the page once more through it, so the phone keeps a copy.
export function keepForOffline(read) {
  const workers = navigator.serviceWorker;
  if (workers && !workers.controller) {
    workers.addEventListener("controllerchange", () => read().catch(() => {}), { once: true });
  }
}

// A confirmation or reflection not yet sent, as the page shows it meanwhile.
function standIn(plan, act) {
  const ack = plan.acknowledgement || { plan_id: plan.id, confirmed_at: act.at, reflection: null, grade: null };
  return act.reflection ? { ...ack, reflection: act.reflection, reflection_submitted_at: act.at, pending: true } : { ...ack, pending: true };
}

// send = { confirm(planId, reflection), reflect(planId, text), checkin(code) }, each a request
// of the link's API; onSent() is called once everything kept has gone. Answers the ops for
// components/teacher-home.js, apply(home) to show kept acts on a home read from the cache, and
// stop() to call when the page is left.
export function outbox(token, send, onSent) {
  const strip = el("div", { class: "outbox", role: "status", hidden: true });
  document.getElementById("main").after(strip);
  let sending = false;
  let failure = "";
  const mine = () => load().filter((act) => act.token === token);

  function show() {
    const acts = mine();
    strip.hidden = !acts.length && !failure;
    const parts = [];
    if (acts.length) {
      parts.push(
        el("p", {}, el("strong", {}, t("offline.waiting", { n: acts.length })), " ", t("offline.willSend")),
        el("ul", {}, acts.map((act) => el("li", {}, t(`offline.${act.kind}`, { title: act.title || act.code })))),
      );
    }
    if (failure) {
      const close = el("button", { type: "button", class: "link-button" }, t("offline.dismiss"));
      close.addEventListener("click", () => {
        failure = "";
        show();
      });
      parts.push(el("p", { class: "outbox-error" }, failure), close);
    }
    strip.replaceChildren(...parts);
  }

  function keep(act) {
    const list = load().filter((kept) => !(kept.token === token && kept.kind === act.kind && kept.planId === act.planId && act.kind !== "checkin"));
    list.push({ ...act, token, at: new Date().toISOString() });
    save(list);
    show();
  }

  async function flush() {
    if (sending || !mine().length) return;
    sending = true;
    failure = "";
    let sent = false;
    try {
      for (const act of mine()) {
        try {
          if (act.kind === "confirm") await send.confirm(act.planId, act.reflection);
          else if (act.kind === "reflect") await send.reflect(act.planId, act.reflection);
          else await send.checkin(act.code);
        } catch (error) {
          if (unreachable(error) || error.status >= 500) break;
          failure = t("offline.refused", { what: t(`offline.${act.kind}`, { title: act.title || act.code }), reason: error.message });
        }
        save(load().filter((kept) => !(kept.token === act.token && kept.at === act.at && kept.kind === act.kind)));
        sent = true;
      }
    } finally {
      sending = false;
      show();
    }
    if (sent && !mine().length) onSent();
  }

  // Try the request; when it cannot reach the server, keep it and answer what to show.
  async function attempt(request, act, answer) {
    try {
      return await request();
    } catch (error) {
      if (!unreachable(error)) throw error;
      keep(act);
      return answer();
    }
  }

  const timer = setInterval(flush, RETRY_MS);
  window.addEventListener("online", flush);
  show();
  if (navigator.onLine) flush();

  return {
    ops: {
      confirm: (plan, reflection) =>
        attempt(() => send.confirm(plan.id, reflection), { kind: "confirm", planId: plan.id, title: plan.title, reflection }, () => standIn(plan, { at: new Date().toISOString(), reflection })),
      reflect: (plan, text) =>
        attempt(() => send.reflect(plan.id, text), { kind: "reflect", planId: plan.id, title: plan.title, reflection: text }, () => standIn(plan, { at: new Date().toISOString(), reflection: text })),
      checkin: (code) =>
        attempt(() => send.checkin(code), { kind: "checkin", code }, () => {
          throw new Error(t("offline.checkinKept"));
        }),
    },
    // Kept acts over a home read from the cache (or from a server they have not reached yet).
    apply(home) {
      for (const act of mine()) {
        const plan = home.plans.find((p) => p.id === act.planId);
        if (plan && act.kind !== "checkin") plan.acknowledgement = standIn(plan, act);
      }
      return home;
    },
    stop() {
      clearInterval(timer);
      window.removeEventListener("online", flush);
      strip.remove();
    },
  };
}
