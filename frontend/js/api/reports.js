// Reports: a plan's progress, the district roll-up, and the official reports (…/BC-…).
import { downloadFile } from "../lib/download.js";
import { api, query } from "./client.js";

export const getProgress = (planId, asOf) => api.get(`/plans/${planId}/progress${query({ as_of: asOf })}`);
export const getRollup = (planId, asOf) => api.get(`/plans/${planId}/rollup${query({ as_of: asOf })}`);
export const listReports = (planId) => api.get(`/plans/${planId}/reports`);
export const issueReport = (planId, body) => api.post(`/plans/${planId}/reports`, body);

// format: "csv" or "xlsx".
export const downloadProgress = (planId, format, asOf) =>
  downloadFile(`/plans/${planId}/progress${query({ format, as_of: asOf })}`, `tien-do-ke-hoach-${planId}.${format}`);
export const downloadRollup = (planId, format, asOf) =>
  downloadFile(`/plans/${planId}/rollup${query({ format, as_of: asOf })}`, `tong-hop-ke-hoach-${planId}.${format}`);
// The report the same body would issue, marked "DỰ THẢO": no number taken, nothing stored.
export const downloadDraftReport = (planId, body) =>
  downloadFile(`/plans/${planId}/reports/preview`, `du-thao-bao-cao-${planId}.docx`, { method: "POST", body });
// format: "docx" (the stored file) or "pdf" (rendered from it by the server's LibreOffice).
export const downloadReport = (reportId, format = "docx") =>
  downloadFile(`/reports/${reportId}/document${format === "pdf" ? ".pdf" : ""}`, `bao-cao-${reportId}.${format}`);
