// Reports: a plan's progress, the district roll-up, and the official reports (…/BC-…).
import { api, query, request } from "./client.js";

export const getProgress = (planId, asOf) => api.get(`/plans/${planId}/progress${query({ as_of: asOf })}`);
export const getRollup = (planId, asOf) => api.get(`/plans/${planId}/rollup${query({ as_of: asOf })}`);
export const listReports = (planId) => api.get(`/plans/${planId}/reports`);
export const issueReport = (planId, body) => api.post(`/plans/${planId}/reports`, body);
export const listActivePlans = (status = "active") => api.get(`/plans${query({ status, limit: 500 })}`);
export const getPlanForReport = (planId) => api.get(`/plans/${planId}`);
export const orgSubtree = (orgId) => api.get(`/orgs/${orgId}/subtree${query({ limit: 500 })}`);

// A protected file (it needs the bearer header): fetched, then handed to the browser to save.
async function download(path, fallbackName) {
  const response = await request(path, { raw: true });
  const disposition = response.headers.get("content-disposition") || "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const plain = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  const name = star ? decodeURIComponent(star) : plain || fallbackName;
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return name;
}

// format: "csv" or "xlsx".
export const downloadProgress = (planId, format, asOf) =>
  download(`/plans/${planId}/progress${query({ format, as_of: asOf })}`, `tien-do-ke-hoach-${planId}.${format}`);
export const downloadRollup = (planId, format, asOf) =>
  download(`/plans/${planId}/rollup${query({ format, as_of: asOf })}`, `tong-hop-ke-hoach-${planId}.${format}`);
export const downloadReport = (reportId) => download(`/reports/${reportId}/document`, `bao-cao-${reportId}.docx`);
