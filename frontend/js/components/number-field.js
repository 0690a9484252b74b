// The one input for a number a person types (a reach, a count of days, a length): Vietnamese
// thousands points and decimal commas are understood, the value understood is shown beside it
// ("= 2.000"), and what could be read two ways is refused in words (lib/numbers.js).
import { t } from "../i18n/index.js";
import { number } from "../lib/format.js";
import { parseNumber } from "../lib/numbers.js";
import { input, withReadback } from "../ui.js";

function limits(control) {
  const bound = (name) => (control.dataset[name] === undefined ? null : Number(control.dataset[name]));
  return { integer: true, min: bound("min"), max: bound("max") };
}

// { value } (null when empty) or { error } in words, for the control numberInput made.
export function readNumber(control) {
  const parsed = parseNumber(control.value, limits(control));
  if (!parsed.error) return { value: parsed.value, error: null };
  const params = Object.fromEntries(Object.entries(parsed.params || {}).map(([k, v]) => [k, number(v)]));
  return { value: null, error: t(parsed.error, params) };
}

// A text input (a number input would drop "2.000" to 2, or refuse it) for a whole number.
export function numberInput({ name, value = null, min = null, max = null, ...attrs }) {
  const control = input({
    name,
    inputmode: "numeric",
    autocomplete: "off",
    value: value === null || value === undefined || value === "" ? "" : number(value),
    "data-min": min ?? undefined,
    "data-max": max ?? undefined,
    ...attrs,
  });
  withReadback(control, () => {
    if (!control.value.trim()) return null;
    const { value: understood, error } = readNumber(control);
    return error ? { text: error, warning: true } : { text: t("number.parsed", { value: number(understood) }) };
  });
  return control;
}
