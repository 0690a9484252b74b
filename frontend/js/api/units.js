import { api, query } from "./client.js";

// Live units (the pickers); with includeArchived, the archived ones after them.
export const listUnits = (orgId, includeArchived = false) =>
  api.get(`/orgs/${orgId}/units${query({ include_archived: includeArchived || "" })}`);
// What an audience is chosen from: the live units, and the archived ones it already has
// (the server keeps those; dropping them unasked would change the figures of earlier days).
export const audienceChoices = (units, chosen) => units.filter((u) => !u.archived_at || chosen.has(u.id));
export const createUnit = (orgId, body) => api.post(`/orgs/${orgId}/units`, body);
export const updateUnit = (id, body) => api.patch(`/units/${id}`, body);
export const archiveUnit = (id) => api.post(`/units/${id}/archive`);
export const listMembers = (id) => api.get(`/units/${id}/members`);
export const setMember = (id, participantId, isLeader) =>
  api.put(`/units/${id}/members/${participantId}`, { is_leader: isLeader });
export const removeMember = (id, participantId) => api.delete(`/units/${id}/members/${participantId}`);
