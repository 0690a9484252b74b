// A person's learning record (hồ sơ học tập): by her link, signed in, or a staff member's; and
// its files, and her data export (by her link or signed in).
import { api, query } from "./client.js";
import { downloadFile } from "../lib/download.js";

export const myHistory = () => api.get("/me/history");
export const linkHistory = (token) => api.get(`/links/${encodeURIComponent(token)}/history`);
export const participantHistory = (id) => api.get(`/participants/${id}/history`);

// Whose record, by the route's parameters: her link's, a staff member's, or the caller's own.
const owner = ({ token, id }) => (token ? `/links/${encodeURIComponent(token)}` : id ? `/participants/${id}` : "/me");

// format: "xlsx", "pdf" or "docx"; `year` and `plan` narrow it as the screen's filters do.
export const downloadHistory = (who, format, { year, plan } = {}) =>
  downloadFile(`${owner(who)}/history/export${query({ format, year, plan_id: plan })}`, `ho-so-hoc-tap.${format}`);

// Everything stored about her (format "xlsx" or "json"), for herself: signed in or by her link.
export const downloadMyData = (who, format) => downloadFile(`${owner(who)}/export${query({ format })}`, `du-lieu-ca-nhan.${format}`);
