// Files the API guards (they need the bearer header, or a personal link in their path): fetched,
// then handed to the browser to save under the name the server gives them.
import { request } from "../api/client.js";

// The name in a Content-Disposition header: filename* (UTF-8, any letters) before filename
// (its accent-free fallback), else `fallback`.
function dispositionName(disposition, fallback) {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const plain = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  return star ? decodeURIComponent(star) : plain || fallback;
}

// Download an API path as a file; answers the name it was saved under. `options` (method,
// body) are the request's, for a file made from what is sent (a draft report).
export async function downloadFile(path, fallbackName, options = {}) {
  const response = await request(path, { ...options, raw: true });
  const name = dispositionName(response.headers.get("content-disposition") || "", fallbackName || "tep-tin");
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return name;
}
