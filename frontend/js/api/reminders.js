// Reminders of a plan: its settings, the log, the units' group messages; a leader's digest.
import { api, query } from "./client.js";

export const getReminderPolicy = (planId) => api.get(`/plans/${planId}/reminder-policy`);
export const saveReminderPolicy = (planId, body) => api.put(`/plans/${planId}/reminder-policy`, body);
export const listReminders = (planId, params) => api.get(`/plans/${planId}/reminders${query(params)}`);
export const groupMessages = (planId) => api.get(`/plans/${planId}/group-messages`);
export const myDigest = () => api.get("/me/digest");
