// The check-in form: six big digits on the phone's number pad, sent by themselves once all six
// are in; and what a refused check-in means, in one sentence a teacher can act on.
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { attendanceLabel } from "../i18n/labels.js";
import { busy } from "../lib/busy.js";
import { formatTime } from "../lib/format.js";
import { messageSlot, showMessage, nextId } from "../ui.js";

// One sentence a teacher can act on, for a refused check-in.
function checkinError(error) {
  if (error.status === 422 && error.code === "checkin-refused") return t("checkin.refused");
  if (error.status === 422) return t("checkin.sixDigits");
  if (error.status === 403) return t("checkin.notInvited");
  if (error.status === 409 && error.code === "checkin-closed") return t("checkin.closed");
  if (error.status === 409 && error.fieldErrors[0]?.type === "marked_by_staff") return t("checkin.markedByStaff");
  if (error.status === 409) return t("checkin.already");
  if (error.status === 404) return t("link.dead");
  return error.message;
}

// Six big digits, the phone's number pad; submits by itself when six digits are in.
export function checkinForm({ onSubmit, initial = "", autoFocus = false }) {
  const id = nextId("code");
  const code = el("input", {
    id,
    name: "code",
    class: "input code-input",
    type: "text",
    inputmode: "numeric",
    pattern: "[0-9]*",
    maxlength: "6",
    size: "6",
    autocomplete: "one-time-code",
    enterkeyhint: "done",
    placeholder: "••••••",
    value: initial,
    "aria-describedby": `${id}-hint`,
  });
  const submit = el("button", { type: "submit", class: "button button-big" }, t("checkin.submit"));
  const alert = messageSlot("error");
  const done = messageSlot("status");
  const form = el(
    "form",
    { class: "code-form", novalidate: true },
    el("label", { for: id, class: "code-label" }, t("checkin.codeLabel")),
    el("p", { class: "hint", id: `${id}-hint` }, t("checkin.codeHint")),
    el("div", { class: "code-row" }, code, submit),
    alert,
    done,
  );
  let sending = false;
  async function send() {
    const value = code.value.replace(/\D/g, "");
    if (value.length !== 6) {
      showMessage(alert, t("checkin.sixDigits"));
      code.focus();
      return;
    }
    if (sending) return;
    sending = true;
    showMessage(alert, "");
    showMessage(done, "");
    try {
      await busy(submit, async () => {
        const result = await onSubmit(value);
        if (result) {
          showMessage(done, t("checkin.done", { title: result.session_title, status: attendanceLabel(result.status), time: formatTime(result.recorded_at) }), "success");
          code.value = "";
        }
      });
    } catch (error) {
      showMessage(alert, checkinError(error));
      code.select();
    } finally {
      sending = false;
    }
  }
  code.addEventListener("input", () => {
    const digits = code.value.replace(/\D/g, "").slice(0, 6);
    if (digits !== code.value) code.value = digits;
    if (digits.length === 6) send();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send();
  });
  if (autoFocus) queueMicrotask(() => code.focus());
  form.send = send;
  return form;
}
