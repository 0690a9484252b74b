import { api, query } from "./client.js";

export const getOrg = (id) => api.get(`/orgs/${id}`);
export const subtree = (id, params = {}) => api.get(`/orgs/${id}/subtree${query(params)}`);
