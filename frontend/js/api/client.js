// The one fetch client: JSON in and out, the bearer token, and problem details as errors.
import { API_ORIGIN } from "../config.js";
import { t, tOr, lang } from "../i18n/index.js";

const TOKEN_KEY = "lantoa.token";
let unauthorizedHandler = null;

export class ApiError extends Error {
  constructor(problem, status, retryAfter = null) {
    super(problemMessage(problem, status));
    this.status = status;
    this.problem = problem;
    this.fieldErrors = problem?.errors ?? [];
    this.retryAfter = retryAfter;
  }

  get code() {
    return (this.problem?.type || "").split("/").pop();
  }
}

// The server writes some details in both languages: "Tiếng Việt. / English." Pick ours.
export function localDetail(detail) {
  if (!detail) return "";
  const parts = detail.split(" / ");
  if (parts.length !== 2) return detail;
  return lang() === "en" ? parts[1] : parts[0];
}

// Turn problem details into one sentence a person can act on, in the current language.
function problemMessage(problem, status) {
  const code = (problem?.type || "").split("/").pop();
  const known = code && tOr(`problem.${code}`, null);
  const bilingual = problem?.detail && problem.detail.includes(" / ");
  const base =
    (bilingual && localDetail(problem.detail)) ||
    known ||
    problem?.detail ||
    problem?.title ||
    t("problem.network");
  const fields = (problem?.errors || [])
    .map((e) => `${e.field.replace(/^body\./, "")}: ${e.message}`)
    .join("; ");
  const requestId = status >= 500 && problem?.request_id ? ` (${t("problem.requestId")}: ${problem.request_id})` : "";
  return (fields && known && !bilingual ? `${base} — ${fields}` : base) + requestId;
}

export function getToken() {
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(token) {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

// Called when a signed-in request answers 401 (the session ended or was revoked).
export function onUnauthorized(fn) {
  unauthorizedHandler = fn;
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
  // 204 No Content (and any empty body) has nothing to parse, whatever its content type says.
  const text = response.status === 204 ? "" : await response.text();
  let data = null;
  if (isJson && text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const retry = Number(response.headers.get("Retry-After"));
    const error = new ApiError(data, response.status, Number.isFinite(retry) && retry > 0 ? retry : null);
    if (response.status === 401 && token && !path.startsWith("/auth/") && unauthorizedHandler) {
      unauthorizedHandler(error);
    }
    throw error;
  }
  return data;
}

export const api = {
  get: (path, options) => request(path, { ...options, method: "GET" }),
  post: (path, body, options) => request(path, { ...options, method: "POST", body }),
  patch: (path, body, options) => request(path, { ...options, method: "PATCH", body }),
  put: (path, body, options) => request(path, { ...options, method: "PUT", body }),
  delete: (path, options) => request(path, { ...options, method: "DELETE" }),
};

// "?a=1&b=x" from an object, skipping empty values.
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
