// The one seam between the UI and whatever answers its commands: the Tauri shell in the app,
// a stub answering with the engine's recorded answers in the component tests
// (`src/test/render-app.ts`).

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
