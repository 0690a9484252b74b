// Study sessions, attendance and self check-in.
import { api, query } from "./client.js";

export const SESSION_KINDS = ["study", "seminar", "parent_outreach", "makeup"];

export const listSessions = (params = {}) => api.get(`/sessions${query(params)}`);
export const getSession = (id) => api.get(`/sessions/${id}`);
export const createSession = (body) => api.post("/sessions", body);
export const updateSession = (id, body) => api.patch(`/sessions/${id}`, body);
export const changeStatus = (id, status, minutes) =>
  api.post(`/sessions/${id}/status`, minutes ? { status, minutes } : { status });
export const getRoster = (id) => api.get(`/sessions/${id}/attendance`);
export const markAttendance = (id, participantId, status, note) =>
  api.put(`/sessions/${id}/attendance/${participantId}`, note ? { status, note } : { status });
export const markBulk = (id, status, participantIds) =>
  api.post(`/sessions/${id}/attendance/bulk`, participantIds ? { status, participant_ids: participantIds } : { status });
export const getCheckinCode = (id) => api.get(`/sessions/${id}/checkin-code`);
export const checkIn = (code) => api.post("/checkin", { code });

