// Numbers as a Vietnamese clerk types them: a point or a space between thousands ("2.000",
// "2 000"), a comma before decimals ("1,5"). What could be read two ways is refused, never
// guessed: "1.20" (a point not followed by exactly three digits) and "1,200" (a decimal comma,
// or an English thousands comma?). The answer names an i18n key; the field says it in words.

const THOUSANDS = /^\d{1,3}(?:([. ])\d{3})(?:\1\d{3})*$/;
const PLAIN = /^\d+$/;

// The digits before the decimal comma: plain, or grouped by points or by spaces.
function whole(text) {
  if (PLAIN.test(text)) return text;
  if (THOUSANDS.test(text)) return text.replace(/[. ]/g, "");
  return null;
}

// parseNumber("2.000") → { value: 2000 }; ("") → { value: null };
// ("1.20") → { error: "number.ambiguousPoint" }. integer: a count, so no decimals.
export function parseNumber(text, { integer = true, min = null, max = null } = {}) {
  const typed = String(text ?? "")
    .replace(/[\u00a0\u202f\u2009]/g, " ")
    .trim()
    .replace(/\s+/g, " ");
  if (!typed) return { value: null };
  const negative = /^[-−]\s?/.test(typed);
  const unsigned = typed.replace(/^[-−]\s?/, "");
  const [before, after, ...more] = unsigned.split(",");
  if (more.length || !/^[\d. ]+$/.test(before) || (after !== undefined && !/^\d+$/.test(after))) {
    return { error: "number.notNumber" };
  }
  const digits = whole(before);
  if (digits === null) return { error: before.includes(".") ? "number.ambiguousPoint" : "number.notNumber" };
  if (after !== undefined) {
    if (integer && after.length === 3 && !/[. ]/.test(before)) return { error: "number.ambiguousComma" };
    if (integer) return { error: "number.whole" };
  }
  const value = Number(`${negative ? "-" : ""}${digits}${after !== undefined ? `.${after}` : ""}`);
  if (min !== null && value < min) return { error: "number.min", params: { min } };
  if (max !== null && value > max) return { error: "number.max", params: { max } };
  return { value };
}
