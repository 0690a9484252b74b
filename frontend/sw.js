// The service worker (served at /sw.js by the backend, which writes the frontend's version into
// VERSION): the app opens without a network, and the teacher's link page shows what it
// showed last. The shell (js/shell.js: index.html, styles, the modules of the start and of the
// link page) is kept at install; any other file of the frontend when first fetched. Files come
// from the cache first: a new version of the frontend is a new worker with a new cache, used
// once every page of the old one is closed. Her link page's answers come from the network
// first, from the cache only when the network fails; no other API answer is kept.
importScripts("js/shell.js");

const VERSION = "__VERSION__";
const SHELL = `lantoa-shell-${VERSION}`;
const DATA = "lantoa-link-data";
const PERSONAL = /^\/api\/v1\/links\/[^/]+(\/materials\/\d+\/file)?$/;

self.addEventListener("install", (event) => {
  const { start, link } = self.LANTOA_SHELL;
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll([...start, ...link])));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => names.filter((name) => name.startsWith("lantoa-shell-") && name !== SHELL))
      .then((old) => Promise.all(old.map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname === "/sw.js") return;
  if (url.pathname.startsWith("/api/")) {
    if (PERSONAL.test(url.pathname)) event.respondWith(networkFirst(request));
    return;
  }
  event.respondWith(cacheFirst(request.mode === "navigate" ? new Request("index.html") : request));
});

async function cacheFirst(request) {
  const cache = await caches.open(SHELL);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function networkFirst(request) {
  const cache = await caches.open(DATA);
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    const kept = await cache.match(request);
    if (kept) return kept;
    throw error;
  }
  if (response.ok) await cache.put(request, response.clone());
  // A link that no longer works keeps nothing on the phone.
  else if (response.status === 404) await cache.delete(request);
  return response;
}
