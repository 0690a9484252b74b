// The app shell: the files every screen starts from, and those of the teacher's link page.
// A plain script (no import or export), read twice: by index.html, where it preloads the
// modules of the screen being opened so the browser fetches them at once instead of one
// import after another; and by the service worker (sw.js), which keeps these files for
// offline use. tests/unit/test_frontend_shell.py checks the lists against the imports.
self.LANTOA_SHELL = {
  // index.html, its style sheets, and app.js with everything it imports.
  start: [
    "index.html",
    "manifest.webmanifest",
    "icons/icon-192.png",
    "css/base.css",
    "css/teacher.css",
    "js/shell.js",
    "js/app.js",
    "js/api/auth.js",
    "js/api/client.js",
    "js/api/system.js",
    "js/components/route-states.js",
    "js/config.js",
    "js/dom.js",
    "js/i18n/index.js",
    "js/i18n/labels.js",
    "js/i18n/study.vi.js",
    "js/i18n/vi.js",
    "js/lib/styles.js",
    "js/lib/zone.js",
    "js/router.js",
    "js/session.js",
    "js/ui.js",
  ],
  // The personal link page (#/l/…) and what it imports beyond the start.
  link: [
    "js/api/links.js",
    "js/api/quiz.js",
    "js/components/badges.js",
    "js/components/checkin-form.js",
    "js/components/quiz-entry.js",
    "js/components/reflection-form.js",
    "js/components/teacher-home.js",
    "js/lib/busy.js",
    "js/lib/download.js",
    "js/lib/drafts.js",
    "js/lib/format.js",
    "js/lib/offline.js",
    "js/views/link.js",
  ],
};

// A personal link's own address (/l/…, which the server renders first) becomes the app's
// address for that page, so every screen has one form of address: /#/l/….
const linkPath = self.document && !location.hash && location.pathname.match(/^\/l\/([^/]+)\/?$/);
if (linkPath) history.replaceState(null, "", `/#/l/${linkPath[1]}`);

// The link page: its modules, its data and the server's time zone (the requests api/client.js
// makes, then answered from these), fetched beside app.js's rather than after them. The data
// is in the page already when the server rendered it.
const linkToken = self.document && location.hash.match(/^#\/l\/([^/?]+)/);
if (linkToken) {
  const hint = (rel, href, as) => {
    const link = document.createElement("link");
    link.rel = rel;
    link.href = href;
    if (as) {
      link.as = as;
      link.crossOrigin = "anonymous";
    }
    document.head.append(link);
  };
  if (!document.getElementById("link-home")) hint("preload", `/api/v1/links/${linkToken[1]}`, "fetch");
  hint("preload", "/api/v1/health", "fetch");
  self.LANTOA_SHELL.link.forEach((href) => hint("modulepreload", href));
}

// Once the page has loaded, so its own files come first on a slow line.
if (self.document && "serviceWorker" in navigator) {
  addEventListener("load", () => navigator.serviceWorker.register("/sw.js").catch(() => {}));
}
