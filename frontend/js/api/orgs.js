import { api, query } from "./client.js";

export const getOrg = (id) => api.get(`/orgs/${id}`);
export const subtree = (id, params = {}) => api.get(`/orgs/${id}/subtree${query(params)}`);
export const getRetention = (id) => api.get(`/orgs/${id}/retention`);
export const setRetention = (id, inactiveYears) => api.put(`/orgs/${id}/retention`, { inactive_years: inactiveYears });
export const clearRetention = (id) => api.delete(`/orgs/${id}/retention`);
