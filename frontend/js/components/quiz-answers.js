// Her answers during an attempt: kept on the phone at once (a reload, a closed tab or a lost
// network never loses a chosen answer) and sent to the server shortly after each choice, in
// one batch, retried with a growing pause until it is saved.
const DEBOUNCE_MS = 800;
const RETRY_MAX_MS = 30000;

const storeKey = (attemptId) => `lantoa.quiz.${attemptId}`;

function readStore(attemptId) {
  try {
    return JSON.parse(localStorage.getItem(storeKey(attemptId)) || "null") || {};
  } catch {
    return {};
  }
}

// The attempt is submitted: what the phone kept for it goes.
export function forgetAnswers(attemptId) {
  try {
    localStorage.removeItem(storeKey(attemptId));
  } catch {
    // Private mode: nothing was kept.
  }
}

// attempt: AttemptPublic; save(answers) sends [{ question_id, chosen }]; onState(state) hears
// "unsaved", "saving", "saved", "retrying"; onClosed(error) hears the server refuse because
// the attempt is over (409). → { answers, choose(id, chosen), flush(), all(), stop(), resume(), close() }.
export function answerKeeper(attempt, { save, onState, onClosed }) {
  const kept = readStore(attempt.id);
  // The server's answers, then those chosen here and not yet sent (the newer).
  const answers = { ...attempt.answers, ...(kept.unsent || {}) };
  const unsent = new Map(Object.entries(kept.unsent || {}));
  let timer = null;
  let sending = null;
  let failures = 0;
  let stopped = false;

  function store() {
    try {
      localStorage.setItem(storeKey(attempt.id), JSON.stringify({ unsent: Object.fromEntries(unsent) }));
    } catch {
      // Private mode: the server's copy is the only one.
    }
  }

  function later(ms) {
    clearTimeout(timer);
    timer = setTimeout(flush, ms);
  }

  async function flush() {
    clearTimeout(timer);
    if (sending || stopped || !unsent.size) return sending;
    const batch = [...unsent.entries()];
    onState("saving");
    sending = save(batch.map(([id, chosen]) => ({ question_id: Number(id), chosen })));
    try {
      await sending;
      failures = 0;
      // What was chosen again meanwhile stays to be sent.
      batch.forEach(([id, chosen]) => unsent.get(id) === chosen && unsent.delete(id));
      store();
    } catch (error) {
      if (error.status === 409) {
        stopped = true;
        onClosed(error);
        return null;
      }
      failures += 1;
      onState("retrying");
      later(Math.min(RETRY_MAX_MS, 2000 * 2 ** (failures - 1)));
      return null;
    } finally {
      sending = null;
    }
    if (unsent.size) later(0);
    else onState("saved");
    return null;
  }

  const online = () => unsent.size && later(0);
  window.addEventListener("online", online);
  if (unsent.size) later(0);

  return {
    answers,
    choose(id, chosen) {
      const key = String(id);
      answers[key] = chosen;
      unsent.set(key, chosen);
      store();
      onState("unsaved");
      if (!sending && !failures) later(DEBOUNCE_MS);
    },
    // Send now what waits (the "retry now" button).
    flush() {
      failures = 0;
      return flush();
    },
    // Every answer, for the submit (which takes them along): the server keeps them in one go.
    all: () => Object.entries(answers).map(([id, chosen]) => ({ question_id: Number(id), chosen })),
    // Wait for a request on its way, then send nothing more (submitting, or leaving the page).
    async stop() {
      stopped = true;
      clearTimeout(timer);
      if (sending) await sending.catch(() => {});
    },
    // Sending again, after a submit that did not get through.
    resume() {
      stopped = false;
      if (unsent.size) later(0);
    },
    // The page is gone: nothing more to hear.
    close() {
      stopped = true;
      clearTimeout(timer);
      window.removeEventListener("online", online);
    },
  };
}
