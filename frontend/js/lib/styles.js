// Style sheets on demand: index.html links base.css and teacher.css, all a teacher's phone
// needs; a staff screen adds the others before it is drawn, each once, in the cascade's order.
const ORDER = ["base", "work", "teacher", "study", "reports", "history", "contest", "quiz"];
export const STAFF_STYLES = ["work", "study", "reports"];

function linked(name) {
  return document.head.querySelector(`link[rel="stylesheet"][href="css/${name}.css"]`);
}

function add(name) {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = `css/${name}.css`;
  const after = ORDER.slice(ORDER.indexOf(name) + 1).map(linked).find(Boolean);
  document.head.insertBefore(link, after || null);
  return new Promise((resolve) => {
    // A sheet that cannot load leaves the screen plain, never blank.
    link.addEventListener("load", resolve, { once: true });
    link.addEventListener("error", resolve, { once: true });
  });
}

// Resolves once every named sheet has loaded (at once for those already there).
export function useStyles(names) {
  return Promise.all(names.filter((name) => !linked(name)).map(add));
}
