// The bell: my notifications, their unread count, marking them read.
import { api, query } from "./client.js";

export const listNotifications = (params) => api.get(`/me/notifications${query(params)}`);
export const markRead = (id) => api.post(`/me/notifications/${id}/read`);
export const markAllRead = () => api.post("/me/notifications/read-all");
