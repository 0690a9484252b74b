// The outreach log: articles, posts, videos, seminars, commendations… with date, link and reach.
import { api, query } from "./client.js";

export const KINDS = [
  "article",
  "social_post",
  "video",
  "infographic",
  "seminar",
  "commendation",
  "innovation",
  "parent_outreach",
  "pupil_outreach",
  "other",
];

export const listActivities = (params) => api.get(`/activities${query(params)}`);
export const createActivity = (body) => api.post("/activities", body);
export const updateActivity = (id, body) => api.patch(`/activities/${id}`, body);
export const archiveActivity = (id) => api.post(`/activities/${id}/archive`);
