// Study sessions, attendance, self check-in, and the plan list the session screens pick from.
import { api, query } from "./client.js";

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

// Plans, for pickers and titles (the plan screens own the rest of /plans).
export const listPlans = (params = {}) => api.get(`/plans${query(params)}`);
export const getPlan = (id) => api.get(`/plans/${id}`);
