import { api, query } from "./client.js";

// Live units (the pickers); with includeArchived, the archived ones after them.
export const listUnits = (orgId, includeArchived = false) =>
  api.get(`/orgs/${orgId}/units${query({ include_archived: includeArchived || "" })}`);
export const createUnit = (orgId, body) => api.post(`/orgs/${orgId}/units`, body);
export const updateUnit = (id, body) => api.patch(`/units/${id}`, body);
export const archiveUnit = (id) => api.post(`/units/${id}/archive`);
export const listMembers = (id) => api.get(`/units/${id}/members`);
export const setMember = (id, participantId, isLeader) =>
  api.put(`/units/${id}/members/${participantId}`, { is_leader: isLeader });
export const removeMember = (id, participantId) => api.delete(`/units/${id}/members/${participantId}`);
