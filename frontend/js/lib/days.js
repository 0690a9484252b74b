// Days as Vietnamese documents write them, day first: "10/12/2026" is the tenth of December in
// both languages (a browser's date picker in English would have read the twelfth of October).
// Also taken: d/m/yyyy, points, dashes or spaces between the parts, eight digits in a row
// (what a phone's number pad types), and an ISO day pasted from elsewhere.

const DAY_FIRST = /^(\d{1,2})[/.\- ]+(\d{1,2})[/.\- ]+(\d{4})$/;
const RUN = /^(\d{2})(\d{2})(\d{4})$/;
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

const pad = (n) => String(n).padStart(2, "0");

// parseDay("10/12/2026") → { value: "2026-12-10" }; ("") → { value: null };
// ("31/02/2026") → { error: "day.noSuchDay" }; ("12/2026") → { error: "day.format" };
// min and max (ISO days) come back in params as given.
export function parseDay(text, { min = null, max = null } = {}) {
  const typed = String(text ?? "").trim();
  if (!typed) return { value: null };
  let parts = DAY_FIRST.exec(typed) || RUN.exec(typed);
  if (parts) parts = [parts[3], parts[2], parts[1]];
  else if ((parts = ISO.exec(typed))) parts = parts.slice(1, 4);
  else return { error: "day.format" };
  const [year, month, day] = parts.map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || day < 1 || date.getUTCMonth() !== month - 1 || year < 1900) {
    return { error: "day.noSuchDay" };
  }
  const value = `${year}-${pad(month)}-${pad(day)}`;
  if (min && value < min) return { error: "day.min", params: { min } };
  if (max && value > max) return { error: "day.max", params: { max } };
  return { value };
}
