// A plan's quiz: taking it (by her personal link or signed in) and, for those who write the
// plan, its question bank, settings and results.
import { api, query, request } from "./client.js";

const enc = encodeURIComponent;

// Where her quiz calls go: her link's path, or her own when signed in.
const taker = (token) => (token ? `/links/${enc(token)}` : "/me");

// The server is the clock: an answer with the offset (ms) of the server's clock from ours, read
// from the response's Date header (0 when the header cannot be read).
async function timed(path, options) {
  const sent = Date.now();
  const response = await request(path, { ...options, raw: true });
  const data = await response.json();
  const date = Date.parse(response.headers.get("Date") || "");
  // The header has whole seconds: its time is the middle of that second, at the middle of the trip.
  const offset = Number.isNaN(date) ? 0 : date + 500 - (sent + Date.now()) / 2;
  return { data, offset };
}

export const quizStandings = (token) => api.get(`${taker(token)}/quizzes`);
export const quizStanding = (token, planId) => api.get(`${taker(token)}/quiz${query({ plan_id: planId })}`);
export const startAttempt = (token, planId) =>
  timed(`${taker(token)}/quiz/attempts`, { method: "POST", body: { plan_id: planId } });
export const readAttempt = (token, id) => timed(`${taker(token)}/quiz/attempts/${id}`);
export const saveAnswers = (token, id, answers) => api.put(`${taker(token)}/quiz/attempts/${id}/answers`, { answers });
export const submitAttempt = (token, id, answers) => api.post(`${taker(token)}/quiz/attempts/${id}/submit`, { answers });

export const listQuestions = (planId) => api.get(`/plans/${planId}/quiz/questions`);
export const addQuestion = (planId, body) => api.post(`/plans/${planId}/quiz/questions`, body);
export const updateQuestion = (planId, id, body) => api.put(`/plans/${planId}/quiz/questions/${id}`, body);
export const removeQuestion = (planId, id) => api.delete(`/plans/${planId}/quiz/questions/${id}`);
export const getQuizSettings = (planId) => api.get(`/plans/${planId}/quiz`);
export const putQuizSettings = (planId, body) => api.put(`/plans/${planId}/quiz`, body);
export const quizResults = (planId) => api.get(`/plans/${planId}/quiz/results`);
