// The one fetch client: JSON in and out, the bearer token, and problem details as errors.
import { API_ORIGIN } from "../config.js";
import { t } from "../i18n/index.js";

const TOKEN_KEY = "lantoa.token";

export class ApiError extends Error {
  constructor(problem, status) {
    super(problemMessage(problem, status));
    this.status = status;
    this.problem = problem;
    this.fieldErrors = problem?.errors ?? [];
  }
}

// Turn problem details into one sentence a person can act on, in the current language.
export function problemMessage(problem, status) {
  const code = (problem?.type || "").split("/").pop();
  const known = code && t(`problem.${code}`, null);
  const base = known || problem?.detail || problem?.title || t("problem.network");
  const fields = (problem?.errors || [])
    .map((e) => `${e.field.replace(/^body\./, "")}: ${e.message}`)
    .join("; ");
  const requestId = status >= 500 && problem?.request_id ? ` (${t("problem.requestId")}: ${problem.request_id})` : "";
  return (fields && !known?.includes(fields) ? `${base} — ${fields}` : base) + requestId;
}

export function getToken() {
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(token) {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

export async function request(path, { method = "GET", body, headers = {}, raw = false } = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers } };
  const token = getToken();
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`${API_ORIGIN}/api/v1${path}`, init);
  } catch {
    throw new ApiError({ type: "network" }, 0);
  }
  if (raw && response.ok) return response;
  const isJson = (response.headers.get("content-type") || "").includes("json");
  const data = isJson ? await response.json() : null;
  if (!response.ok) throw new ApiError(data, response.status);
  return data;
}

export const api = {
  get: (path, options) => request(path, { ...options, method: "GET" }),
  post: (path, body, options) => request(path, { ...options, method: "POST", body }),
  patch: (path, body, options) => request(path, { ...options, method: "PATCH", body }),
  put: (path, body, options) => request(path, { ...options, method: "PUT", body }),
  delete: (path, options) => request(path, { ...options, method: "DELETE" }),
};
