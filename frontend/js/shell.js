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
    "js/config.js",
    "js/dom.js",
    "js/i18n/audit.vi.js",
    "js/i18n/index.js",
    "js/i18n/labels.js",
    "js/i18n/reports.vi.js",
    "js/i18n/study.vi.js",
    "js/i18n/vi.js",
    "js/i18n/work.vi.js",
    "js/lib/styles.js",
    "js/lib/zone.js",
    "js/router.js",
    "js/session.js",
    "js/ui.js",
  ],
  // The personal link page (#/l/…) and what it imports beyond the start.
  link: [
    "js/api/links.js",
    "js/components/badges.js",
    "js/components/checkin-form.js",
    "js/components/reflection-form.js",
    "js/components/teacher-home.js",
    "js/lib/busy.js",
    "js/lib/download.js",
    "js/lib/format.js",
    "js/lib/offline.js",
    "js/views/link.js",
  ],
};

if (self.document && location.hash.startsWith("#/l/")) {
  for (const href of self.LANTOA_SHELL.link) {
    const link = document.createElement("link");
    link.rel = "modulepreload";
    link.href = href;
    document.head.append(link);
  }
}

// Once the page has loaded, so its own files come first on a slow line.
if (self.document && "serviceWorker" in navigator) {
  addEventListener("load", () => navigator.serviceWorker.register("/sw.js").catch(() => {}));
}
