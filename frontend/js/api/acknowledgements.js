// Confirmations ("I have studied it"), reflections and their grades, the pending list.
import { api, query, request } from "./client.js";

export const myHome = () => api.get("/me/home");
export const confirmPlan = (planId, reflection) =>
  api.post(`/plans/${planId}/acknowledgements`, reflection ? { reflection } : {});
export const writeReflection = (ackId, reflection) => api.put(`/acknowledgements/${ackId}/reflection`, { reflection });
export const listPending = (planId, unitId) => api.get(`/plans/${planId}/pending${query({ unit_id: unitId })}`);
export const confirmOnBehalf = (planId, body) => api.post(`/plans/${planId}/acknowledgements/on-behalf`, body);
export const listAcknowledgements = (params = {}) => api.get(`/acknowledgements${query(params)}`);
export const gradeReflection = (id, grade, comment) =>
  api.post(`/acknowledgements/${id}/grade`, comment ? { grade, comment } : { grade });
export const withdrawAcknowledgement = (id, reason) => api.post(`/acknowledgements/${id}/withdraw`, { reason });

// A material file needs the bearer header (or the personal link in its path), so it is
// fetched and handed over as a Blob.
export const materialPath = (planId, materialId) => `/plans/${planId}/materials/${materialId}/file`;

export async function downloadMaterial(path, fallbackName) {
  const response = await request(path, { raw: true });
  const disposition = response.headers.get("content-disposition") || "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const plain = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  const name = star ? decodeURIComponent(star) : plain || fallbackName || "tai-lieu";
  return { blob: await response.blob(), name };
}
