import { api, query } from "./client.js";

export const listOutbox = (params) => api.get(`/outbound-messages${query(params)}`);
export const retryMessage = (id) => api.post(`/outbound-messages/${id}/retry`);
export const sendTestEmail = (body) => api.post("/system/mail-test", body);
