// The server's time zone (its TIME_ZONE setting): every time on the screens is shown in it and
// every day or time typed is read in it, whatever zone the phone or computer is set to.
import { getHealth } from "../api/system.js";

// The server's own default, for as long as the server has not said (or cannot be reached).
let zone = "Asia/Ho_Chi_Minh";
let loading = null;
const formats = new Map();

// Ask the server once; every later call answers the same promise.
export function loadTimeZone() {
  loading ??= getHealth()
    // A 503 (database down) still carries the health body.
    .catch((error) => error.problem)
    .then((health) => {
      if (health?.time_zone) useTimeZone(health.time_zone);
    })
    .catch(() => {});
  return loading;
}

function useTimeZone(name) {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: name });
  } catch {
    return; // a zone this browser does not know: keep the default
  }
  zone = name;
  formats.clear();
}

// One formatter per locale and options in the current zone (building one costs more than using it).
export function zonedFormat(locale, options) {
  const key = `${locale} ${JSON.stringify(options)}`;
  if (!formats.has(key)) formats.set(key, new Intl.DateTimeFormat(locale, { ...options, timeZone: zone }));
  return formats.get(key);
}

// The wall clock there at an instant: { year, month, day, hour, minute } as zero-padded strings.
export function zonedParts(value) {
  const format = zonedFormat("en-GB", { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const found = {};
  for (const part of format.formatToParts(new Date(value))) found[part.type] = part.value;
  return found;
}

// The day an instant falls on there, as YYYY-MM-DD.
export function isoDay(value) {
  const p = zonedParts(value);
  return `${p.year}-${p.month}-${p.day}`;
}

// Today there, as YYYY-MM-DD (for date inputs' defaults and limits).
export function todayIso() {
  return isoDay(new Date());
}

const pad = (n) => String(n).padStart(2, "0");

// Minutes the zone is ahead of UTC at an instant (milliseconds since the epoch).
function offsetAt(instant) {
  const p = zonedParts(instant);
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return Math.round((wall - Math.floor(instant / 60000) * 60000) / 60000);
}

// The instant a day and a wall-clock time there name, as ISO 8601 with the zone's offset:
// ("2025-03-15", "07:30") → "2025-03-15T07:30:00+07:00". An empty day gives "".
export function zonedInstant(day, time = "00:00") {
  if (!day) return "";
  const [y, m, d] = day.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // The offset at the wall time read as UTC, then again at the instant that gives (a change of
  // offset, such as summer time, may lie between the two).
  const offset = offsetAt(wall - offsetAt(wall) * 60000);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${day}T${time}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

