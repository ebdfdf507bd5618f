// The real transport: Tauri IPC. Only this file imports `@tauri-apps/api`.

import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { type Invoke, makeCommands } from "../../bindings";
import { toCommandError } from "./errors";
import { FirstSettle } from "./first-settle";
import type { Backend, EventName, WindowEvents } from "./transport";

const invokeCommand: Invoke = async <T>(command: string, args?: Record<string, unknown>) => {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toCommandError(error);
  }
};

function listenTo<K extends EventName>(
  event: K,
  handler: (payload: WindowEvents[K]) => void,
): Promise<() => void> {
  return listen<WindowEvents[K]>(event, (message) => handler(message.payload));
}

/** Tells the app the window's first page is on screen with its data (logged with the time since start). */
function reportInteractive() {
  const page = document.querySelector<HTMLElement>("main[data-page]")?.dataset.page ?? "start";
  makeCommands(invokeCommand)
    .windowInteractive(page)
    .catch(() => {});
}

export function createTauriBackend(): Backend {
  const settle = new FirstSettle(reportInteractive);
  const tracked: Invoke = (command, args) => settle.track(invokeCommand(command, args));
  return { commands: makeCommands(tracked), listen: listenTo };
}

/** True inside the Tauri webview, false in a plain browser or under test. */
export function isTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}
