// Renders the whole app against the mock backend, the way a dealer would meet it.

import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import App from "../App.svelte";
import { createMockBackend, type MockOptions } from "../lib/backend/mock";

export async function renderApp(options: MockOptions = {}) {
  const backend = createMockBackend(options);
  const user = userEvent.setup();
  const result = render(App, { props: { backend } });
  return { backend, user, ...result };
}

/** Renders an unlocked app and waits until the first page is on screen. */
export async function renderReadyApp(options: MockOptions = {}) {
  const rendered = await renderApp({ ...options, locked: null });
  await screen.findByTestId("page-title");
  return rendered;
}

/** A promise whose settling the test controls. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
