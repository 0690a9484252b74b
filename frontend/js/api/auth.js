import { api } from "./client.js";

export const login = (username, password) => api.post("/auth/login", { username, password });
export const logout = () => api.post("/auth/logout");
export const getMe = () => api.get("/me");
export const changePassword = (current_password, new_password) =>
  api.post("/auth/password", { current_password, new_password });
export const resetPassword = (username, reset_code, new_password) =>
  api.post("/auth/reset", { username, reset_code, new_password });
export const issueReset = (userId) => api.post(`/users/${userId}/reset`);
export const listRoles = (orgId) => api.get(`/orgs/${orgId}/roles`);
export const setRole = (orgId, userId, role) => api.put(`/orgs/${orgId}/roles/${userId}`, { role });
