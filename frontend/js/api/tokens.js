import { api, query } from "./client.js";

export const listTokens = (orgId) => api.get(`/api-tokens${query({ org_id: orgId })}`);
export const createToken = (body) => api.post("/api-tokens", body);
export const revokeToken = (id) => api.delete(`/api-tokens/${id}`);
