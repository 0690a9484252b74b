// A person's learning record (hồ sơ học tập): by her link, signed in, or a staff member's.
import { api } from "./client.js";

export const myHistory = () => api.get("/me/history");
export const linkHistory = (token) => api.get(`/links/${encodeURIComponent(token)}/history`);
export const participantHistory = (id) => api.get(`/participants/${id}/history`);
