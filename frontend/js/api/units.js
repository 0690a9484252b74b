import { api } from "./client.js";

export const listUnits = (orgId) => api.get(`/orgs/${orgId}/units`);
export const createUnit = (orgId, body) => api.post(`/orgs/${orgId}/units`, body);
export const updateUnit = (id, body) => api.patch(`/units/${id}`, body);
export const deleteUnit = (id) => api.delete(`/units/${id}`);
export const listMembers = (id) => api.get(`/units/${id}/members`);
export const setMember = (id, participantId, isLeader) =>
  api.put(`/units/${id}/members/${participantId}`, { is_leader: isLeader });
export const removeMember = (id, participantId) => api.delete(`/units/${id}/members/${participantId}`);
