// Brings a page's section into view and moves the focus to it (Onboarding's "Open Settings →
// Sales channels", say). The page may still be loading: the element is looked for a little while.

/** How long to look for the section before leaving the page at its top. */
export const REVEAL_WAIT_MS = 3_000;
const REVEAL_STEP_MS = 50;

/** Looks for the element with `id` until found or `REVEAL_WAIT_MS` passed, then calls `done`.
 * Returns a function that stops looking. */
export function revealSection(id: string, done: () => void): () => void {
  let waited = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const attempt = () => {
    const target = document.getElementById(id);
    if (target) {
      // A heading or section is not focusable by itself; -1 keeps it out of the Tab order.
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.scrollIntoView?.({ block: "start" });
      target.focus({ preventScroll: true });
      done();
    } else if (waited >= REVEAL_WAIT_MS) {
      done();
    } else {
      waited += REVEAL_STEP_MS;
      timer = setTimeout(attempt, REVEAL_STEP_MS);
    }
  };
  attempt();
  return () => clearTimeout(timer);
}
