// Generated from Rust by src-tauri/src/bindings.rs: do not edit.
// Regenerate with `UPDATE_BINDINGS=1 cargo test -p dealer-portal bindings`.

export type OrderStatus = "imported" | "awaiting_authorization" | "authorized" | "processing" | "partially_shipped" | "shipped" | "completed" | "needs_attention" | "cancelled";

export type Actor = "dealer" | "auto_rule" | "scheduler" | "system";

export type Mode = "sandbox" | "live";

export type KeySource = "keyring" | "passphrase";

export type ErrorCode = "keyring_unavailable" | "passphrase_required" | "wrong_key" | "key_missing" | "store_locked" | "invalid_transition" | "not_found" | "invalid_input" | "storage" | "already_running" | "channel" | "internal";

export type CommandError = { code: ErrorCode, message: string, };

export type OrderSummary = { id: number, 
/**
 * Name of the sales channel the order came from.
 */
channel: string, number: string, status: OrderStatus, customer_name: string, total_minor: number, currency: string, placed_at: string, };

export type ListOrders = { 
/**
 * Only orders in this status.
 */
status: OrderStatus | null, 
/**
 * At most this many (1–1000).
 */
limit: number, offset: number, };

export type ActivityEntry = { "kind": "order_event", at: string, order_id: number, order_number: string, from: OrderStatus | null, to: OrderStatus, actor: Actor, detail: string, } | { "kind": "sync_run", at: string, trigger: string, 
/**
 * The channel imported from; none when no channel was connected.
 */
channel: string | null, finished_at: string | null, imported: number, updated: number, quarantined: number, error: string | null, } | { "kind": "quarantined", at: string, channel: string, channel_order_id: string | null, reason: string, excerpt: string, times_seen: number, };

export type AppStatus = { "state": "ready", mode: Mode, key_source: KeySource, data_dir: string, sync_paused: boolean, plan: Plan, version: string, order_count: number, } | { "state": "locked", data_dir: string, code: ErrorCode, message: string, 
/**
 * No store exists yet: a passphrase typed now makes one.
 */
new_store: boolean, 
/**
 * A passphrase can open (or make) this store.
 */
can_use_passphrase: boolean, version: string, };

export type SyncReport = { started_at: string, channels: Array<ChannelReport>, 
/**
 * One line for the dealer.
 */
message: string, };

export type ChannelReport = { channel: string, pages: number, imported: number, updated: number, unchanged: number, quarantined: number, error: string | null, };

export type SyncProgress = { 
/**
 * The channel being imported (empty in the last event).
 */
channel: string, pages: number, 
/**
 * Orders read so far from this channel (new, updated or unchanged).
 */
orders: number, 
/**
 * The pass is over (for every channel).
 */
finished: boolean, };

export type Plan = "basic" | "plus" | "vip";

export type Channel = { id: number, kind: ChannelKind, name: string, base_url: string, 
/**
 * The loopback sandbox store that stands in for a real one.
 */
is_sandbox: boolean, 
/**
 * Orders changed at or after this time are the next import's business.
 */
sync_cursor: string | null, 
/**
 * When an import from it last finished without error.
 */
last_synced_at: string | null, };

export type ChannelKind = "shopify" | "woocommerce" | "bigcommerce";

export type ConnectionCheck = { 
/**
 * The store's own name, to show the dealer they reached the right one.
 */
store_name: string, };

export type ChannelInput = { kind: ChannelKind, name: string, url: string, 
/**
 * Shopify's Admin API access token or BigCommerce's API token.
 */
token: string | null, 
/**
 * WooCommerce's consumer key and secret.
 */
consumer_key: string | null, consumer_secret: string | null, };

export type SyncState = { paused: boolean, };

export type ActivityChanged = { reason: string, };

/** Sends one command to the backend; the Tauri transport wraps `invoke`, tests pass a mock. */
export type Invoke = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;

export function makeCommands(invoke: Invoke) {
  return {
    appStatus: () => invoke<AppStatus>("app_status", {}),
    unlock: (passphrase: string) => invoke<AppStatus>("unlock", { passphrase }),
    listOrders: (query: ListOrders) => invoke<Array<OrderSummary>>("list_orders", { query }),
    recentActivity: (limit: number) => invoke<Array<ActivityEntry>>("recent_activity", { limit }),
    orderSync: () => invoke<SyncReport>("order_sync", {}),
    setSyncPaused: (paused: boolean) => invoke<SyncState>("set_sync_paused", { paused }),
    setPlan: (plan: Plan) => invoke<Plan>("set_plan", { plan }),
    listChannels: () => invoke<Array<Channel>>("list_channels", {}),
    addChannel: (input: ChannelInput) => invoke<Channel>("add_channel", { input }),
    updateChannel: (id: number, input: ChannelInput) => invoke<Channel>("update_channel", { id, input }),
    removeChannel: (id: number) => invoke<null>("remove_channel", { id }),
    testChannel: (id: number) => invoke<ConnectionCheck>("test_channel", { id }),
  };
}

export type Commands = ReturnType<typeof makeCommands>;

/** Event name → payload, for every event the backend emits to the window. */
export type EventPayloads = {
  "sync-paused-changed": SyncState,
  "activity-changed": ActivityChanged,
  "sync-progress": SyncProgress,
};
