// Plans: the official document, its status, materials and adoption by organisations below.
import { api, query, request } from "./client.js";

export const listPlans = (params) => api.get(`/plans${query(params)}`);
export const getPlan = (id) => api.get(`/plans/${id}`);
export const createPlan = (body) => api.post("/plans", body);
export const updatePlan = (id, body) => api.patch(`/plans/${id}`, body);
export const issuePlan = (id, issuedOn) => api.post(`/plans/${id}/issue`, issuedOn ? { issued_on: issuedOn } : {});
export const closePlan = (id) => api.post(`/plans/${id}/close`);
export const adoptPlan = (id, organizationId) => api.post(`/plans/${id}/adopt`, { organization_id: organizationId });
export const listAdoptions = (id) => api.get(`/plans/${id}/adoptions`);

export const listMaterials = (id) => api.get(`/plans/${id}/materials`);
export const addMaterialLink = (id, body) => api.post(`/plans/${id}/materials`, body);
export function addMaterialFile(id, file, title) {
  const body = new FormData();
  body.append("file", file);
  if (title) body.append("title", title);
  return api.post(`/plans/${id}/materials/file`, body);
}
export const removeMaterial = (id, materialId) => api.delete(`/plans/${id}/materials/${materialId}`);
export const publishMaterials = (id, major) => api.post(`/plans/${id}/materials/publish`, { major });

// A protected file (it needs the bearer header): fetched, then handed to the browser to save.
export async function fetchFile(path, fallbackName = "tep-tin") {
  const response = await request(path, { raw: true });
  const disposition = response.headers.get("content-disposition") || "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const plain = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  const name = star ? decodeURIComponent(star) : plain || fallbackName;
  return { blob: await response.blob(), name };
}

export function saveFile({ blob, name }) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export const downloadMaterial = (id, materialId, name) =>
  fetchFile(`/plans/${id}/materials/${materialId}/file`, name).then(saveFile);
