import { api, query } from "./client.js";

export const listAudit = (params) => api.get(`/audit${query(params)}`);
