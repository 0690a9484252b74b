// Reports: a plan's progress, the district roll-up, and the official reports (…/BC-…).
import { downloadFile } from "../lib/download.js";
import { api, query } from "./client.js";

export const getProgress = (planId, asOf) => api.get(`/plans/${planId}/progress${query({ as_of: asOf })}`);
// One level of the roll-up: the organisations directly below `org_id` (the issuer's when
// left out), sorted, filtered and paged by the server. ask: { asOf, orgId, sort, notAdopted,
// belowRate, limit, offset }.
const rollupQuery = (ask) =>
  query({
    as_of: ask.asOf,
    org_id: ask.orgId,
    sort: ask.sort,
    not_adopted: ask.notAdopted ? "true" : "",
    below_rate: ask.belowRate,
    limit: ask.limit,
    offset: ask.offset,
    format: ask.format,
  });
export const getRollup = (planId, ask) => api.get(`/plans/${planId}/rollup${rollupQuery(ask)}`);
export const listReports = (planId) => api.get(`/plans/${planId}/reports`);
export const issueReport = (planId, body) => api.post(`/plans/${planId}/reports`, body);

// format: "csv" or "xlsx".
export const downloadProgress = (planId, format, asOf) =>
  downloadFile(`/plans/${planId}/progress${query({ format, as_of: asOf })}`, `tien-do-ke-hoach-${planId}.${format}`);
// The level as shown (its sort and filters), every row up to the server's largest page.
export const downloadRollup = (planId, format, ask) =>
  downloadFile(
    `/plans/${planId}/rollup${rollupQuery({ ...ask, format, limit: 500, offset: 0 })}`,
    `tong-hop-ke-hoach-${planId}${ask.orgId ? `-don-vi-${ask.orgId}` : ""}.${format}`,
  );
// The report the same body would issue, marked "DỰ THẢO": no number taken, nothing stored.
export const downloadDraftReport = (planId, body) =>
  downloadFile(`/plans/${planId}/reports/preview`, `du-thao-bao-cao-${planId}.docx`, { method: "POST", body });
// format: "docx" (the stored file) or "pdf" (rendered from it by the server's LibreOffice).
export const downloadReport = (reportId, format = "docx") =>
  downloadFile(`/reports/${reportId}/document${format === "pdf" ? ".pdf" : ""}`, `bao-cao-${reportId}.${format}`);
