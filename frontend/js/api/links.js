// Personal links: the password-free page of one staff member, and issuing links and QR sheets.
import { api } from "./client.js";

const LINK_KEY = "lantoa.link";

const enc = encodeURIComponent;
// The page the server rendered for a link (/l/…) carries that link's data: read it once.
export function linkHome(token) {
  const embedded = document.getElementById("link-home");
  if (embedded && location.hash === `#/l/${token}`) {
    embedded.remove();
    return Promise.resolve(JSON.parse(embedded.textContent));
  }
  return api.get(`/links/${enc(token)}`);
}
export const linkConfirm = (token, planId, reflection) =>
  api.post(`/links/${enc(token)}/acknowledgements/${planId}`, reflection ? { reflection } : {});
export const linkReflect = (token, planId, reflection) =>
  api.put(`/links/${enc(token)}/acknowledgements/${planId}/reflection`, { reflection });
export const linkCheckIn = (token, code) => api.post(`/links/${enc(token)}/checkin`, { code });
export const linkMaterialPath = (token, materialId) => `/links/${enc(token)}/materials/${materialId}/file`;
export const issueLink = (participantId, validDays) =>
  api.post(`/participants/${participantId}/links`, validDays ? { valid_days: validDays } : {});
export const linkSheet = (orgId, body) => api.post(`/orgs/${orgId}/link-sheet`, body);

// The last personal link opened on this phone, so check-in works without signing in.
export function rememberLink(token) {
  try {
    localStorage.setItem(LINK_KEY, token);
  } catch {
    // Private mode: check-in will ask to open the link again.
  }
}

export function rememberedLink() {
  try {
    return localStorage.getItem(LINK_KEY);
  } catch {
    return null;
  }
}

export function forgetLink(token) {
  if (!token || rememberedLink() === token) localStorage.removeItem(LINK_KEY);
}
