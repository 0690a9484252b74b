import { api, query, request } from "./client.js";

export const listParticipants = (params) => api.get(`/participants${query(params)}`);
export const getParticipant = (id) => api.get(`/participants/${id}`);
export const createParticipant = (body) => api.post("/participants", body);
export const updateParticipant = (id, body) => api.patch(`/participants/${id}`, body);
export const deactivate = (id) => api.post(`/participants/${id}/deactivate`);
export const activate = (id) => api.post(`/participants/${id}/activate`);
export const createAccount = (id, body) => api.post(`/participants/${id}/account`, body);

// The template needs the bearer header, so it is fetched and handed over as a Blob.
export async function downloadTemplate() {
  const response = await request("/participants/import/template", { raw: true });
  const disposition = response.headers.get("content-disposition") || "";
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] || "mau-danh-sach-can-bo.xlsx";
  return { blob: await response.blob(), name };
}

export function importStaff(orgId, file, dryRun) {
  const body = new FormData();
  body.append("file", file);
  return api.post(`/participants/import${query({ org_id: orgId, dry_run: dryRun })}`, body);
}
