import { api, query } from "./client.js";

export const listWebhooks = (orgId) => api.get(`/webhooks${query({ org_id: orgId })}`);
export const getWebhook = (id) => api.get(`/webhooks/${id}`);
export const createWebhook = (body) => api.post("/webhooks", body);
export const updateWebhook = (id, body) => api.patch(`/webhooks/${id}`, body);
export const deleteWebhook = (id) => api.delete(`/webhooks/${id}`);
export const rotateSecret = (id) => api.post(`/webhooks/${id}/rotate-secret`);
export const testWebhook = (id) => api.post(`/webhooks/${id}/test`);
export const listDeliveries = (id, params) => api.get(`/webhooks/${id}/deliveries${query(params)}`);
export const redeliver = (deliveryId) => api.post(`/webhooks/deliveries/${deliveryId}/redeliver`);
