import { downloadFile } from "../lib/download.js";
import { api, query } from "./client.js";

export const listParticipants = (params) => api.get(`/participants${query(params)}`);
export const getParticipant = (id) => api.get(`/participants/${id}`);
export const createParticipant = (body) => api.post("/participants", body);
export const updateParticipant = (id, body) => api.patch(`/participants/${id}`, body);
export const deactivate = (id) => api.post(`/participants/${id}/deactivate`);
export const activate = (id) => api.post(`/participants/${id}/activate`);
export const anonymize = (id, reason) => api.post(`/participants/${id}/anonymize`, { reason });
export const createAccount = (id, body) => api.post(`/participants/${id}/account`, body);

export const downloadTemplate = () => downloadFile("/participants/import/template", "mau-danh-sach-can-bo.xlsx");

export function importStaff(orgId, file, dryRun) {
  const body = new FormData();
  body.append("file", file);
  return api.post(`/participants/import${query({ org_id: orgId, dry_run: dryRun })}`, body);
}
