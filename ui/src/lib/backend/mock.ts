// An in-memory backend that answers the same commands, with the same argument shapes, as the
// Tauri shell. Tests drive it directly; `npm run dev` in a plain browser runs the whole UI on it.

import {
  type ActivityEntry,
  type AppStatus,
  type Invoke,
  type ListOrders,
  type Mode,
  makeCommands,
  type OrderSummary,
  type SyncReport,
} from "../../bindings";
import { commandError } from "./errors";
import { seedActivity, seedOrders } from "./mock-data";
import type { Backend, EventName, WindowEvents } from "./transport";

/** How the mock store starts: open, or locked behind an existing or a new passphrase. */
export type MockLock = "existing" | "new_store" | "keyring_unavailable" | null;

export interface MockOptions {
  locked?: MockLock;
  /** The passphrase that opens an `existing` locked store. */
  passphrase?: string;
  mode?: Mode;
  orders?: OrderSummary[];
  activity?: ActivityEntry[];
  syncPaused?: boolean;
  /** Delay before each answer, to see loading states in a browser. */
  latencyMs?: number;
}

export interface MockCall {
  command: string;
  args: Record<string, unknown>;
}

export interface MockBackend extends Backend {
  /** Every command received, in order, with its raw arguments. */
  readonly calls: MockCall[];
  /** Fires an event at the listeners, as the Rust side would. */
  emit<K extends EventName>(event: K, payload: WindowEvents[K]): void;
}

export const MOCK_PASSPHRASE = "correct horse battery";
const DATA_DIR = "/home/dealer/.local/share/com.dealerportal.desktop";
const VERSION = "0.1.0";
const MIN_PASSPHRASE_LENGTH = 8;
/** `list_orders` answers at most this many rows per call (see `ListOrders.limit`). */
const MAX_LIST_LIMIT = 1000;

export function createMockBackend(options: MockOptions = {}): MockBackend {
  let lock: MockLock = options.locked ?? null;
  let passphrase = options.passphrase ?? MOCK_PASSPHRASE;
  let keySource: "keyring" | "passphrase" = lock === null ? "keyring" : "passphrase";
  const mode: Mode = options.mode ?? "sandbox";
  const orders: OrderSummary[] = options.orders ? [...options.orders] : seedOrders(240);
  const activity: ActivityEntry[] = options.activity ? [...options.activity] : seedActivity(orders);
  let syncPaused = options.syncPaused ?? false;
  let syncing = false;
  const calls: MockCall[] = [];
  const listeners = new Map<EventName, Set<(payload: never) => void>>();

  function emit<K extends EventName>(event: K, payload: WindowEvents[K]): void {
    for (const handler of listeners.get(event) ?? []) {
      (handler as (payload: WindowEvents[K]) => void)(payload);
    }
  }

  function status(): AppStatus {
    if (lock === null) {
      return {
        state: "ready",
        mode,
        key_source: keySource,
        data_dir: DATA_DIR,
        sync_paused: syncPaused,
        version: VERSION,
        order_count: orders.length,
      };
    }
    const keyringMissing = "The OS keyring is not available on this machine.";
    const messages = {
      existing: `${keyringMissing} Enter the passphrase that protects this store.`,
      new_store: `${keyringMissing} Choose a passphrase to protect the new store.`,
      keyring_unavailable: `${keyringMissing} Start a keyring service (for example GNOME Keyring) and try again.`,
    };
    return {
      state: "locked",
      data_dir: DATA_DIR,
      code: lock === "keyring_unavailable" ? "keyring_unavailable" : "passphrase_required",
      message: messages[lock],
      new_store: lock === "new_store",
      can_use_passphrase: lock !== "keyring_unavailable",
      version: VERSION,
    };
  }

  function unlock(given: string): AppStatus {
    if (lock === null) return status();
    if (lock === "keyring_unavailable") {
      throw commandError("keyring_unavailable", "This store can only be opened with the keyring.");
    }
    if (lock === "new_store") {
      if (given.length < MIN_PASSPHRASE_LENGTH) {
        throw commandError(
          "invalid_input",
          `A passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters.`,
        );
      }
      passphrase = given;
    } else if (given !== passphrase) {
      throw commandError("wrong_key", "That passphrase does not open this store.");
    }
    lock = null;
    keySource = "passphrase";
    return status();
  }

  /** The sandbox store always has one more order waiting; a live store has none in the mock. */
  function importFromStore(startedAt: string): SyncReport {
    const imported = mode === "sandbox" ? 1 : 0;
    if (imported > 0) {
      const newest = orders[0];
      const number = String(Number(newest?.number ?? "1000") + 1);
      const order: OrderSummary = {
        id: (newest?.id ?? 0) + 1,
        channel: "shopify",
        number,
        status: "awaiting_authorization",
        customer_name: "Test Order",
        total_minor: 1_999,
        currency: "USD",
        placed_at: startedAt,
      };
      orders.unshift(order);
      activity.unshift({
        kind: "order_event",
        at: startedAt,
        order_id: order.id,
        order_number: number,
        from: "imported",
        to: "awaiting_authorization",
        actor: "system",
        detail: "Routed to US Direct: all checks passed",
      });
    }
    activity.unshift({
      kind: "sync_run",
      at: startedAt,
      trigger: "button",
      finished_at: new Date().toISOString(),
      imported,
      updated: 0,
      quarantined: 0,
      error: null,
    });
    const noun = imported === 1 ? "order" : "orders";
    return {
      started_at: startedAt,
      imported,
      message: imported > 0 ? `Imported ${imported} new ${noun}.` : "No new orders.",
    };
  }

  async function orderSync(): Promise<SyncReport> {
    if (syncing) throw commandError("already_running", "An Order Sync is already running.");
    syncing = true;
    try {
      const startedAt = new Date().toISOString();
      // A sync takes a while; a second one meanwhile is refused, as the real one is.
      await delay(options.latencyMs ?? 0);
      const report = importFromStore(startedAt);
      emit("activity-changed", { reason: "order_sync" });
      return report;
    } finally {
      syncing = false;
    }
  }

  function listOrders(query: ListOrders): OrderSummary[] {
    if (query.limit < 1 || query.limit > MAX_LIST_LIMIT || query.offset < 0) {
      throw commandError("invalid_input", `limit must be 1–${MAX_LIST_LIMIT}, offset at least 0.`);
    }
    const matching = query.status ? orders.filter((o) => o.status === query.status) : orders;
    return matching.slice(query.offset, query.offset + query.limit);
  }

  function requireOpen(): void {
    if (lock !== null) throw commandError("store_locked", "The store is locked.");
  }

  async function answer(command: string, args: Record<string, unknown>): Promise<unknown> {
    switch (command) {
      case "app_status":
        return status();
      case "unlock":
        return unlock(String(args.passphrase));
      case "list_orders":
        requireOpen();
        return listOrders(args.query as ListOrders);
      case "recent_activity":
        requireOpen();
        return activity.slice(0, Number(args.limit));
      case "order_sync":
        requireOpen();
        return orderSync();
      case "set_sync_paused":
        requireOpen();
        syncPaused = Boolean(args.paused);
        emit("sync-paused-changed", { paused: syncPaused });
        return { paused: syncPaused };
      default:
        throw commandError("internal", `The mock backend has no command "${command}".`);
    }
  }

  const invoke: Invoke = async <T>(command: string, args: Record<string, unknown> = {}) => {
    calls.push({ command, args });
    await delay(options.latencyMs ?? 0);
    return (await answer(command, args)) as T;
  };

  return {
    commands: makeCommands(invoke),
    calls,
    emit,
    listen: async (event, handler) => {
      const handlers = listeners.get(event) ?? new Set();
      listeners.set(event, handlers);
      const stored = handler as (payload: never) => void;
      handlers.add(stored);
      return () => {
        handlers.delete(stored);
      };
    },
  };
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
