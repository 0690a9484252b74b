// Tasks of a plan: assignment, status, bulk changes, evidence and its review.
import { downloadFile } from "../lib/download.js";
import { api, query } from "./client.js";

export const listTasks = (params) => api.get(`/tasks${query(params)}`);
export const getTask = (id) => api.get(`/tasks/${id}`);
export const createTask = (body) => api.post("/tasks", body);
export const updateTask = (id, body) => api.patch(`/tasks/${id}`, body);
export const setTaskStatus = (id, status, note) => api.post(`/tasks/${id}/status`, note ? { status, note } : { status });
export const bulkUpdateTasks = (body) => api.post("/tasks/bulk", body);

export const addEvidence = (id, body) => api.post(`/tasks/${id}/evidence`, body);
export function addEvidenceFile(id, file, note) {
  const body = new FormData();
  body.append("file", file);
  if (note) body.append("note", note);
  return api.post(`/tasks/${id}/evidence/file`, body);
}
export const reviewEvidence = (id, evidenceId, decision, comment) =>
  api.post(`/tasks/${id}/evidence/${evidenceId}/review`, comment ? { decision, comment } : { decision });
export const removeEvidence = (id, evidenceId) => api.delete(`/tasks/${id}/evidence/${evidenceId}`);
export const downloadEvidence = (id, evidenceId, name) => downloadFile(`/tasks/${id}/evidence/${evidenceId}/file`, name);
