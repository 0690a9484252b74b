import { api, query } from "./client.js";

export const listOrgs = (params = {}) => api.get(`/orgs${query(params)}`);
export const getOrg = (id) => api.get(`/orgs/${id}`);
export const childOrgs = (id) => api.get(`/orgs/${id}/children`);
export const subtree = (id) => api.get(`/orgs/${id}/subtree`);
