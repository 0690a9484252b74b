// Contests on a plan: the organiser's setup and leaderboards, a staff member's entries (by her
// personal link or signed in), and the public link's entries and announcement.
import { api, query } from "./client.js";

const enc = encodeURIComponent;

export const planContests = (planId) => api.get(`/plans/${planId}/contests`);
export const createContest = (planId, body) => api.post(`/plans/${planId}/contests`, body);
export const updateContest = (id, body) => api.put(`/contests/${id}`, body);
export const publishContest = (id, published) => api.post(`/contests/${id}/${published ? "publish" : "unpublish"}`);
export const peopleBoard = (id, roundId, params = {}) =>
  api.get(`/contests/${id}/rounds/${roundId}/leaderboard/people${query(params)}`);
export const groupBoard = (id, roundId, by) => api.get(`/contests/${id}/rounds/${roundId}/leaderboard/${by}`);
export const contestExportPath = (id) => `/contests/${id}/results.xlsx`;

// A staff member's side: the same calls under /links/{token} or /me.
export function staffContests(token) {
  const base = token ? `/links/${enc(token)}/contests` : "/me/contests";
  return {
    list: () => api.get(base),
    start: (roundId) => api.post(`${base}/rounds/${roundId}/entry`),
    read: (entryId) => api.get(`${base}/entries/${entryId}`),
    save: (entryId, answers) => api.put(`${base}/entries/${entryId}/answers`, { answers }),
    submit: (entryId, answers, tiebreak) => api.post(`${base}/entries/${entryId}/submit`, { answers, tiebreak }),
  };
}

// An invited person's side: the contest's public link, and her entry's own key.
export function publicContest(token) {
  const base = `/contests/public/${enc(token)}`;
  return {
    info: () => api.get(base),
    results: () => api.get(`${base}/results`),
    start: (roundId, person) => api.post(`${base}/rounds/${roundId}/entries`, person),
    read: (key) => api.get(`${base}/entries/${enc(key)}`),
    save: (key, answers) => api.put(`${base}/entries/${enc(key)}/answers`, { answers }),
    submit: (key, answers, tiebreak) => api.post(`${base}/entries/${enc(key)}/submit`, { answers, tiebreak }),
  };
}
