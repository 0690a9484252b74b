// Drafts kept on this device (localStorage), so a reflection survives leaving or reloading
// the page. Keyed by what the draft is for (a person and a plan), never by a link's token.
const PREFIX = "lantoa.draft.";

export function draftKey(kind, ...ids) {
  return `${PREFIX}${kind}.${ids.join(".")}`;
}

// Storage can be full or refused (a private window): a draft is then simply not kept.
export function readDraft(key) {
  try {
    return localStorage.getItem(key) || "";
  } catch {
    return "";
  }
}

export function keepDraft(key, text) {
  try {
    if (String(text || "").trim()) localStorage.setItem(key, text);
    else localStorage.removeItem(key);
  } catch {
    // Not kept; the text is still on the screen.
  }
}

export function dropDraft(key) {
  try {
    localStorage.removeItem(key);
  } catch {
    // Nothing was kept.
  }
}
