// Busy state: a button while its action runs, and a region of a screen while it waits for data.

// Run an action with the button disabled, so a double tap does not send it twice.
export async function busy(button, action) {
  if (button) {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
  }
  try {
    return await action();
  } finally {
    if (button) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
  }
}

// The requests that fill one region (a list, a dashboard): the region is aria-busy while one
// runs, and only the newest answers. A filter changed twice quickly sends two requests; when the
// first answers last, its stale figures must not replace the second's.
export function latestRequests(region = null) {
  let newest = 0;
  return {
    // → { data } or { error }; null when a newer request has started meanwhile (or cancel()).
    async run(fetch) {
      const mine = ++newest;
      region?.setAttribute("aria-busy", "true");
      let outcome;
      try {
        outcome = { data: await fetch() };
      } catch (error) {
        outcome = { error };
      }
      if (mine !== newest) return null;
      region?.removeAttribute("aria-busy");
      return outcome;
    },
    // The screen is going away: whatever is on its way is dropped.
    cancel() {
      newest += 1;
    },
  };
}
