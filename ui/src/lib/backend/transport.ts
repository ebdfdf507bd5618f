// The one seam between the UI and whatever answers its commands: the Tauri shell in the app,
// an in-memory mock in tests and in a plain browser.

import type { Commands, EventPayloads } from "../../bindings";

export type WindowEvents = EventPayloads;

export type EventName = keyof WindowEvents;

export interface Backend {
  commands: Commands;
  /** Subscribes to a backend event; resolves to a function that unsubscribes. */
  listen<K extends EventName>(
    event: K,
    handler: (payload: WindowEvents[K]) => void,
  ): Promise<() => void>;
}
