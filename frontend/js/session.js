// Who is signed in, in which organisation, and what they may do there.
import { getToken, setToken } from "./api/client.js";
import { getMe } from "./api/auth.js";

const ORG_KEY = "lantoa.org";
let me = null;
const listeners = new Set();

export function signedIn() {
  return Boolean(getToken());
}

export function currentMe() {
  return me;
}

export function rememberSignIn(token, value) {
  setToken(token);
  me = value;
  const stored = Number(localStorage.getItem(ORG_KEY));
  if (!value.roles.some((r) => r.organization_id === stored) && value.roles.length) {
    const best = value.roles.find((r) => r.permissions.includes("people:read")) ?? value.roles[0];
    localStorage.setItem(ORG_KEY, String(best.organization_id));
  }
}

// The caller as the server sees them now; null when signed out or the session has ended.
export async function loadMe({ force = false } = {}) {
  if (!getToken()) {
    me = null;
    return null;
  }
  if (me && !force) return me;
  try {
    me = await getMe();
  } catch (error) {
    if (error.status === 401) {
      forget();
      return null;
    }
    throw error;
  }
  return me;
}

export function forget() {
  setToken(null);
  me = null;
}

export function roles() {
  return me?.roles ?? [];
}

export function currentRole() {
  const stored = Number(localStorage.getItem(ORG_KEY));
  return roles().find((r) => r.organization_id === stored) ?? roles()[0] ?? null;
}

export function orgId() {
  return currentRole()?.organization_id ?? null;
}

export function setOrg(id) {
  localStorage.setItem(ORG_KEY, String(id));
  listeners.forEach((fn) => fn(id));
}

export function onOrgChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function can(permission) {
  return currentRole()?.permissions.includes(permission) ?? false;
}

// Organisations above schools: they follow the schools' figures, and each school keeps its own
// staff and units, so a reader there finds those screens empty. Menus leave them out; the server
// still decides what anyone may read.
const ABOVE_SCHOOLS = new Set(["district", "ward", "province"]);

// Whether the staff and unit screens have anything for the caller in this organisation.
export function keepsStaff() {
  if (!can("people:read")) return false;
  return can("people:manage") || !ABOVE_SCHOOLS.has(currentRole()?.organization_kind);
}

// Where a person lands after signing in: the staff list for those who may read it.
// Where signing in leads: an admin to the staff list, a reader of reports (a manager, the
// district office) to the reports, a teacher to her own page.
export function landingPath() {
  if (can("people:manage")) return "/people";
  if (can("reports:read")) return "/reports";
  return currentMe()?.user.participant_id ? "/me" : "/";
}
