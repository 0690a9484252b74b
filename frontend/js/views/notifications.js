// My notifications (the bell): reminders and digests, newest first; opening one marks it read.
import { listNotifications, markRead, markAllRead } from "../api/notifications.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { formatDateTime } from "../lib/format.js";
import { currentMe } from "../session.js";
import { messageSlot, showMessage, pageHeader } from "../ui.js";

function changed() {
  window.dispatchEvent(new Event("lantoa:notifications"));
}

export async function render(outlet) {
  const alert = messageSlot("error");
  const list = el("ul", { class: "item-list notification-list", "aria-label": t("bell.title") });
  const summary = el("p", { class: "summary", role: "status" });
  const all = el("button", { type: "button", class: "button button-secondary" }, t("bell.markAll"));
  // A unit's leader also has the page of who in their units is behind.
  const digest = currentMe()?.user.participant_id ? el("a", { class: "button button-secondary", href: "#/digest" }, t("digest.title")) : null;
  outlet.replaceChildren(el("section", { class: "card" }, pageHeader(t("bell.title"), all, ...(digest ? [digest] : [])), alert, summary, list));

  async function load() {
    const data = await listNotifications({ limit: 100 });
    summary.textContent = t("bell.unread", { n: data.unread });
    all.disabled = data.unread === 0;
    list.replaceChildren(
      ...(data.items.length
        ? data.items.map((n) => {
            const open = el("a", { href: n.link || "#/notifications", class: "list-title" }, n.title);
            open.addEventListener("click", async (event) => {
              if (n.read_at) return;
              event.preventDefault();
              try {
                await markRead(n.id);
              } finally {
                changed();
                location.hash = n.link || "#/notifications";
              }
            });
            return el(
              "li",
              { class: n.read_at ? "notification" : "notification unread" },
              el("div", {}, open, n.read_at ? null : el("span", { class: "badge" }, t("bell.new"))),
              el("p", { class: "notification-body" }, n.body),
              el("p", { class: "small muted" }, formatDateTime(n.created_at)),
            );
          })
        : [el("li", { class: "empty" }, t("bell.empty"))]),
    );
  }

  all.addEventListener("click", async () => {
    try {
      await busy(all, () => markAllRead());
      changed();
      await load();
    } catch (error) {
      showMessage(alert, error.message, "error");
    }
  });
  try {
    await load();
  } catch (error) {
    showMessage(alert, error.message, "error");
  }
}
