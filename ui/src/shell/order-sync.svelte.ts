// The Order Sync action, shared by the top bar's button and the ones pages offer (Onboarding):
// one pass at a time, whoever asks, and one last result that every button's view reads.

import { createContext } from "svelte";
import type { Commands } from "../bindings";
import { toCommandError } from "../lib/backend/errors";
import type { ShellState } from "./shell-state.svelte";

export type SyncTone = "ok" | "failed" | "info";

export interface SyncOutcome {
  text: string;
  tone: SyncTone;
}

export class OrderSyncAction {
  /** This window asked for a pass and is waiting for its report. */
  running: boolean = $state(false);
  /** What the last pass this window asked for came to. */
  outcome: SyncOutcome | null = $state.raw(null);
  readonly #commands: Commands;
  readonly #shell: ShellState;

  constructor(commands: Commands, shell: ShellState) {
    this.#commands = commands;
    this.#shell = shell;
  }

  /** A pass runs: this window's, the tray's or the schedule's. */
  get busy(): boolean {
    return this.running || this.#shell.syncProgress !== null;
  }

  /** Imports from the stores now; resolves to what happened (null when a pass was running). */
  async run(): Promise<SyncOutcome | null> {
    if (this.busy) return null;
    this.running = true;
    try {
      const report = await this.#commands.orderSync();
      const failed = report.channels.some((channel) => channel.error !== null);
      this.outcome = { text: report.message, tone: failed ? "failed" : "ok" };
      this.#shell.syncEnded();
      this.#shell.dataChanged();
    } catch (failure) {
      const error = toCommandError(failure);
      if (error.code === "already_running") {
        // Another pass (the tray's or the schedule's) is on it: nothing went wrong.
        this.outcome = { text: "Order Sync is already running", tone: "info" };
      } else {
        this.outcome = { text: `Order Sync failed: ${error.message}`, tone: "failed" };
        this.#shell.syncEnded();
      }
    } finally {
      this.running = false;
    }
    return this.outcome;
  }
}

const [getOrderSync, setOrderSync] = createContext<OrderSyncAction>();

export { getOrderSync, setOrderSync };
