// Hash router: "#/path" → a view module's render(el, params), which may return a cleanup.

const routes = [];
let cleanup = null;

export function route(pattern, load) {
  const names = [];
  const regex = new RegExp(
    "^" + pattern.replace(/:(\w+)/g, (_, name) => (names.push(name), "([^/]+)")) + "/?$",
  );
  routes.push({ regex, names, load });
}

export function currentPath() {
  return location.hash.replace(/^#/, "").split("?")[0] || "/";
}

export function navigate(path) {
  location.hash = path;
}

export async function render(outlet, notFound) {
  const path = currentPath();
  if (typeof cleanup === "function") cleanup();
  cleanup = null;
  for (const { regex, names, load } of routes) {
    const match = path.match(regex);
    if (!match) continue;
    const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(match[i + 1])]));
    const view = await load();
    cleanup = await view.render(outlet, params);
    return;
  }
  const view = await notFound();
  cleanup = await view.render(outlet, {});
}
