// Hash router: "#/path" → a view module's render(el, params), which may return a cleanup.
// A route may carry meta ({ auth, permission }); a guard decides whether it may be shown.

const routes = [];
let cleanup = null;
let generation = 0;

// ":id" takes digits only, so a mistyped address ("#/tasks/new") is not found rather than sent
// to the server as an id; other parameters (a link's token, a code) take any segment.
export function route(pattern, load, meta = {}) {
  const names = [];
  const regex = new RegExp(
    "^" + pattern.replace(/:(\w+)/g, (_, name) => (names.push(name), name === "id" ? "(\\d+)" : "([^/]+)")) + "/?$",
  );
  routes.push({ regex, names, load, meta });
}

export function currentPath() {
  return location.hash.replace(/^#/, "").split("?")[0] || "/";
}

// The "?a=b" part after the hash path, e.g. "#/people?q=mai".
export function currentQuery() {
  const hash = location.hash.replace(/^#/, "");
  const index = hash.indexOf("?");
  return new URLSearchParams(index >= 0 ? hash.slice(index + 1) : "");
}

// Rewrite the hash's query without a new history entry or a re-render.
export function replaceQuery(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  history.replaceState(history.state, "", `#${currentPath()}${text ? `?${text}` : ""}`);
}

export function navigate(path) {
  location.hash = path;
}

export function matchRoute(path = currentPath()) {
  for (const { regex, names, load, meta } of routes) {
    const match = path.match(regex);
    if (!match) continue;
    const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(match[i + 1])]));
    return { load, meta, params };
  }
  return null;
}

// screens: { guard, notFound, loading, loaded, denied, failed }. guard(meta, path) answers null
// to show the route, { redirect: path } to go elsewhere, or { denied: true } when the caller may
// not see it. The loading state shows at once; a module that cannot be fetched (offline, or
// replaced by a new version) shows `failed` instead of an uncaught error.
//
// Each route draws into a box of its own in the outlet. A route left before its view finished
// (signed out while a report was loading) goes on drawing into its box, no longer shown, never
// over the next screen. A page the server rendered (a personal link's, `data-server-rendered`
// on the outlet) stays as it is until its view has drawn, so her button never gives way to
// "loading".
export async function render(outlet, screens) {
  const mine = ++generation;
  if (typeof cleanup === "function") cleanup();
  cleanup = null;
  const box = document.createElement("div");
  box.className = "route-view";
  const show = (busy = false) => {
    outlet.removeAttribute("data-server-rendered");
    outlet.toggleAttribute("aria-busy", busy);
    if (busy) outlet.setAttribute("aria-busy", "true");
    if (box.parentNode !== outlet) outlet.replaceChildren(box);
  };
  const found = matchRoute();
  if (found) {
    const verdict = await screens.guard(found.meta, currentPath());
    if (mine !== generation) return;
    if (verdict?.redirect) {
      location.replace(`#${verdict.redirect}`);
      return;
    }
    if (verdict?.denied) {
      screens.denied(box);
      show();
      return;
    }
  }
  screens.loading(box);
  if (!outlet.hasAttribute("data-server-rendered")) show(true);
  let view;
  try {
    view = await (found ? found.load() : screens.notFound());
  } catch (error) {
    if (mine === generation) {
      screens.failed(box, error);
      show();
    }
    return;
  }
  if (mine !== generation) return;
  const result = await view.render(box, found ? found.params : {});
  if (mine !== generation) {
    if (typeof result === "function") result();
    return;
  }
  show();
  screens.loaded(box);
  cleanup = result;
}
