// System status: what /api/v1/health says about the API and its database.
import { ApiError } from "../api/client.js";
import { getHealth } from "../api/system.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { formatDateTime } from "../lib/format.js";

function row(label, value, ok) {
  return el(
    "div",
    { class: "status-row" },
    el("dt", {}, label),
    el("dd", { class: ok === undefined ? "" : ok ? "ok" : "bad" }, value),
  );
}

export async function render(outlet) {
  const list = el("dl", { class: "status-list", "aria-live": "polite" });
  const refresh = el("button", { type: "button", class: "button" }, t("status.refresh"));
  outlet.replaceChildren(
    el("section", { class: "card" }, el("h1", {}, t("status.title")), list, refresh),
  );

  async function check() {
    list.replaceChildren(el("p", { class: "muted" }, t("app.loading")));
    let health;
    try {
      health = await getHealth();
    } catch (error) {
      // A 503 still carries the health body; anything else means the API is unreachable.
      health = error instanceof ApiError && error.problem?.database ? error.problem : null;
      if (!health) {
        list.replaceChildren(
          row(t("status.api"), t("status.down"), false),
          el("p", { class: "error", role: "alert" }, error.message),
        );
        return;
      }
    }
    const dbOk = health.database === "ok";
    list.replaceChildren(
      row(t("status.api"), t("status.ok"), true),
      row(t("status.database"), dbOk ? t("status.ok") : t("status.down"), dbOk),
      row(t("status.backend"), health.database_backend),
      row(t("status.version"), health.version),
      row(t("status.checkedAt"), formatDateTime(health.time)),
    );
  }

  refresh.addEventListener("click", check);
  await check();
}
