// Plans: the official document, its status, materials and adoption by organisations below.
import { downloadFile } from "../lib/download.js";
import { api, query } from "./client.js";

export const listPlans = (params) => api.get(`/plans${query(params)}`);
export const getPlan = (id) => api.get(`/plans/${id}`);
export const createPlan = (body) => api.post("/plans", body);
export const updatePlan = (id, body) => api.patch(`/plans/${id}`, body);
export const issuePlan = (id, issuedOn) => api.post(`/plans/${id}/issue`, issuedOn ? { issued_on: issuedOn } : {});
export const closePlan = (id) => api.post(`/plans/${id}/close`);
export const adoptPlan = (id, organizationId) => api.post(`/plans/${id}/adopt`, { organization_id: organizationId });
export const listAdoptions = (id) => api.get(`/plans/${id}/adoptions`);

export const addMaterialLink = (id, body) => api.post(`/plans/${id}/materials`, body);
export function addMaterialFile(id, file, title) {
  const body = new FormData();
  body.append("file", file);
  if (title) body.append("title", title);
  return api.post(`/plans/${id}/materials/file`, body);
}
export const removeMaterial = (id, materialId) => api.delete(`/plans/${id}/materials/${materialId}`);
export const publishMaterials = (id, major) => api.post(`/plans/${id}/materials/publish`, { major });
// A material's file (links.js has the path a personal link reads it by).
export const materialPath = (id, materialId) => `/plans/${id}/materials/${materialId}/file`;
export const downloadMaterial = (id, materialId, name) => downloadFile(materialPath(id, materialId), name);
