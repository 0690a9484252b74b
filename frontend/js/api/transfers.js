import { api } from "./client.js";

export const participantTransfers = (id) => api.get(`/participants/${id}/transfers`);
export const transferParticipant = (id, body) => api.post(`/participants/${id}/transfer`, body);
