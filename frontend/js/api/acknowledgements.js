// Confirmations ("I have studied it"), reflections and their grades, the pending list.
import { api, query } from "./client.js";

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
