// An in-memory backend that answers the same commands, with the same argument shapes, as the
// Tauri shell. Tests drive it directly; `npm run dev` in a plain browser runs the whole UI on it.
// Validation rules and messages follow the Rust side (`dealer_core::channel`, `store::channels`,
// `credentials`, `sync`), so the window meets the same answers here as in the app.

import {
  type ActivityEntry,
  type AppStatus,
  type AutoAuthorize,
  type Channel,
  type ChannelInput,
  type ChannelKind,
  type ChannelReport,
  type ConnectionCheck,
  type Invoke,
  type ListOrders,
  type Mode,
  makeCommands,
  type OrderSummary,
  type PlacedTestOrder,
  type Plan,
  type ShipToInput,
  type SyncReport,
} from "../../bindings";
import { hostOf, isLoopbackHost, splitUrl } from "../store-url";
import { commandError } from "./errors";
import {
  liveChannel,
  type PlacedStoreOrder,
  SANDBOX_CHANNEL_NAME,
  sandboxChannel,
  seedActivity,
  seedOrders,
  testStoreOrder,
} from "./mock-data";
import { createFulfilment } from "./mock-fulfilment";
import type { Backend, EventName, WindowEvents } from "./transport";

/** How the mock store starts: open, or locked behind an existing or a new passphrase. */
export type MockLock = "existing" | "new_store" | "keyring_unavailable" | null;

/** What started a sync pass (`dealer_core::activity::SyncTrigger`). */
export type MockTrigger = "window" | "tray" | "schedule";

/** An order the sandbox store sends that cannot be read. */
export interface MockMalformedOrder {
  channel_order_id: string | null;
  reason: string;
  excerpt: string;
}

export interface MockOptions {
  locked?: MockLock;
  /** The passphrase that opens an `existing` locked store. */
  passphrase?: string;
  /**
   * Live mode means a real store is connected: without `channels`, "live" connects "Main store"
   * next to the sandbox. With `channels`, the mode follows from them and this is ignored.
   */
  mode?: Mode;
  /** The connected channels; the sandbox channel alone by default. */
  channels?: Channel[];
  /** Names of channels whose store refuses the stored credentials (test and sync fail). */
  refusedChannels?: string[];
  /** Orders the sandbox store sends on every pass that cannot be read (quarantined). */
  malformedOrders?: MockMalformedOrder[];
  /** Pages each pass reads from the sandbox store (one `sync-progress` event each). */
  syncPages?: number;
  plan?: Plan;
  orders?: OrderSummary[];
  activity?: ActivityEntry[];
  syncPaused?: boolean;
  /** Delay before each answer and between sync pages, to see loading states in a browser. */
  latencyMs?: number;
  /** Auto Authorize as the dealer last saved it; off by default. */
  autoAuthorize?: AutoAuthorize;
  /** Ids of orders whose payment the sandbox US Direct declines. */
  declinePayments?: number[];
  /**
   * The outbox runs on its own this long after a command queues a job, as in the app. Unset,
   * it runs only when a test calls `runOutbox`.
   */
  outboxDelayMs?: number;
  /**
   * The sandbox US Direct ships a test order this long after confirming its payment, as the
   * app's sandbox does (about 20 s). Unset, it ships in the same `runOutbox` pass.
   */
  sandboxShipDelayMs?: number;
  /** "Notify me when an order ships"; on by default, as in the app. */
  shipmentNotifications?: boolean;
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
  /** Runs an Order Sync the window did not start (the tray's, or the schedule's). */
  runSync(trigger: Exclude<MockTrigger, "window">): Promise<SyncReport>;
  /** One pass of the outbox worker: runs every pending job against the sandbox US Direct. */
  runOutbox(): { succeeded: number; retrying: number; failed: number };
}

export const MOCK_PASSPHRASE = "correct horse battery";
const DATA_DIR = "/home/dealer/.local/share/com.dealerportal.desktop";
const VERSION = "0.1.0";
const MIN_PASSPHRASE_LENGTH = 8;
const MAX_CHANNEL_NAME = 60;
/** Orders on each full page the sandbox store sends; the last page has half. */
const SANDBOX_PAGE_SIZE = 100;
const PLANS: readonly Plan[] = ["basic", "plus", "vip"];

type Credentials =
  | { type: "token"; token: string }
  | { type: "key_secret"; key: string; secret: string };

export function createMockBackend(options: MockOptions = {}): MockBackend {
  let lock: MockLock = options.locked ?? null;
  let passphrase = options.passphrase ?? MOCK_PASSPHRASE;
  let keySource: "keyring" | "passphrase" = lock === null ? "keyring" : "passphrase";
  const channels: Channel[] = (
    options.channels ??
    (options.mode === "live" ? [sandboxChannel(), liveChannel()] : [sandboxChannel()])
  ).map((channel) => ({ ...channel }));
  /** Kept apart from the channels, as the keyring is: no command returns them. */
  const credentials = new Map<number, Credentials>(
    channels.map((channel) => [channel.id, { type: "token", token: "shpat_stored" }]),
  );
  let nextChannelId = Math.max(0, ...channels.map((channel) => channel.id)) + 1;
  const refused = new Set(options.refusedChannels ?? []);
  let plan: Plan = options.plan ?? "plus";
  const orders: OrderSummary[] = options.orders ? [...options.orders] : seedOrders(240);
  const activity: ActivityEntry[] = options.activity ? [...options.activity] : seedActivity(orders);
  let syncPaused = options.syncPaused ?? false;
  let syncing = false;
  let notifyShipments = options.shipmentNotifications ?? true;
  /** Tracking numbers whose page the window asked to open, in order. */
  const openedTracking: string[] = [];
  /** Orders placed in the sandbox store that the next Order Sync imports. */
  const placedOrders: PlacedStoreOrder[] = [];
  const calls: MockCall[] = [];
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const fulfilment = createFulfilment(
    {
      orders,
      activity,
      channels: () => channels,
      changed: (reason) => emit("activity-changed", { reason }),
    },
    options,
  );

  function emit<K extends EventName>(event: K, payload: WindowEvents[K]): void {
    for (const handler of listeners.get(event) ?? []) {
      (handler as (payload: WindowEvents[K]) => void)(payload);
    }
  }

  function mode(): Mode {
    return channels.some((channel) => !channel.is_sandbox) ? "live" : "sandbox";
  }

  function status(): AppStatus {
    if (lock === null) {
      return {
        state: "ready",
        mode: mode(),
        key_source: keySource,
        data_dir: DATA_DIR,
        sync_paused: syncPaused,
        plan,
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

  // ---- Channels -------------------------------------------------------------------------------

  /** Sandbox first, then by name, as `Store::channels` orders them. */
  function listChannels(): Channel[] {
    return [...channels]
      .sort((a, b) => Number(b.is_sandbox) - Number(a.is_sandbox) || compare(a.name, b.name))
      .map((channel) => ({ ...channel }));
  }

  function channelById(id: number): Channel {
    const channel = channels.find((candidate) => candidate.id === id);
    if (!channel) throw commandError("not_found", `channel ${id} was not found`);
    return channel;
  }

  function checkName(name: string, except: number | null): string {
    const trimmed = name.trim();
    const length = [...trimmed].length;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the backend refuses control characters.
    if (length === 0 || length > MAX_CHANNEL_NAME || /[\u0000-\u001f\u007f-\u009f]/.test(trimmed)) {
      throw invalid("name", `give the channel a name of 1 to ${MAX_CHANNEL_NAME} characters`);
    }
    if (channels.some((channel) => channel.name === trimmed && channel.id !== except)) {
      throw invalid(
        "name",
        `a channel called ${JSON.stringify(trimmed)} exists already; pick another name`,
      );
    }
    return trimmed;
  }

  function addChannel(input: ChannelInput): Channel {
    const given = credentialsOf(input);
    if (!given) throw commandError("invalid_input", "enter the store's credentials");
    checkCredentials(input.kind, given);
    const name = checkName(input.name, null);
    const url = validateStoreUrl(input.kind, input.url);
    const channel: Channel = {
      id: nextChannelId++,
      kind: input.kind,
      name,
      base_url: url,
      is_sandbox: false,
      sync_cursor: null,
      last_synced_at: null,
    };
    channels.push(channel);
    credentials.set(channel.id, given);
    emit("activity-changed", { reason: "channels_changed" });
    return { ...channel };
  }

  function updateChannel(id: number, input: ChannelInput): Channel {
    const channel = channelById(id);
    if (channel.is_sandbox) throw invalid("channel", "the sandbox store cannot be edited");
    // The platform of a connected store never changes: `input.kind` is not used.
    const given = credentialsOf(input);
    if (given) checkCredentials(channel.kind, given);
    const name = checkName(input.name, id);
    const url = validateStoreUrl(channel.kind, input.url);
    renameEverywhere(channel.name, name);
    channel.name = name;
    channel.base_url = url;
    if (given) credentials.set(id, given);
    return { ...channel };
  }

  function removeChannel(id: number): null {
    const channel = channelById(id);
    if (channel.is_sandbox) throw invalid("channel", "the sandbox store cannot be removed");
    channels.splice(channels.indexOf(channel), 1);
    credentials.delete(id);
    if (orders.some((order) => order.channel === channel.name)) {
      // Its orders stay, under a name that frees the old one for a new connection.
      const stamp = new Date().toISOString().slice(0, 16).replace("T", " ");
      renameEverywhere(channel.name, `${channel.name} (removed ${stamp})`);
    } else {
      forgetChannel(channel.name);
    }
    emit("activity-changed", { reason: "channels_changed" });
    return null;
  }

  /** Orders and activity name their channel by a join in the backend: they follow a rename. */
  function renameEverywhere(from: string, to: string): void {
    for (const order of orders) if (order.channel === from) order.channel = to;
    for (const entry of activity) {
      if (entry.kind !== "order_event" && entry.channel === from) entry.channel = to;
    }
  }

  /** A channel without orders is deleted outright: its runs lose their channel, its rejects go. */
  function forgetChannel(name: string): void {
    for (let index = activity.length - 1; index >= 0; index--) {
      const entry = activity[index];
      if (entry?.kind === "quarantined" && entry.channel === name) activity.splice(index, 1);
      if (entry?.kind === "sync_run" && entry.channel === name) entry.channel = null;
    }
  }

  function refusal(channel: Channel): string | null {
    if (!refused.has(channel.name)) return null;
    const detail =
      channel.kind === "woocommerce"
        ? "HTTP 401: Consumer key is invalid."
        : "HTTP 401: Invalid API key or access token (unrecognized login or wrong password)";
    return `the store refused the credentials (${detail}); check the access token or API keys`;
  }

  function testChannel(id: number): ConnectionCheck {
    const channel = channelById(id);
    const problem = refusal(channel);
    if (problem) throw commandError("channel", `${channel.name}: ${problem}`);
    return { store_name: channel.is_sandbox ? SANDBOX_CHANNEL_NAME : storeNameOf(channel) };
  }

  // ---- Order Sync -----------------------------------------------------------------------------

  /** One pass over every channel; the sandbox takes part only while no real store is connected. */
  async function orderSync(trigger: MockTrigger): Promise<SyncReport> {
    if (syncing) {
      throw commandError("already_running", "Order Sync is already running; wait for it to finish");
    }
    syncing = true;
    try {
      const startedAt = new Date().toISOString();
      const passChannels = listChannels();
      const real = passChannels.filter((channel) => !channel.is_sandbox);
      const reports: ChannelReport[] = [];
      for (const channel of real.length > 0 ? real : passChannels) {
        reports.push(await syncChannel(channel, trigger));
      }
      emit("sync-progress", {
        channel: "",
        pages: sum(reports, (report) => report.pages),
        orders: sum(reports, (report) => report.imported + report.updated),
        finished: true,
      });
      if (reports.length === 0) {
        activity.unshift(syncRun(trigger, null, startedAt, NO_COUNTS, null));
      }
      return { started_at: startedAt, channels: reports, message: summary(reports) };
    } finally {
      syncing = false;
    }
  }

  async function syncChannel(listed: Channel, trigger: MockTrigger): Promise<ChannelReport> {
    const channel = channelById(listed.id);
    const startedAt = new Date().toISOString();
    const report: ChannelReport = {
      channel: channel.name,
      pages: 0,
      imported: 0,
      updated: 0,
      unchanged: 0,
      quarantined: 0,
      error: refusal(channel),
    };
    if (report.error === null) {
      // Only the sandbox store has orders waiting in the mock: one new order each pass.
      const pages = channel.is_sandbox ? Math.max(1, options.syncPages ?? 3) : 1;
      for (let page = 1; page <= pages; page++) {
        await delay(options.latencyMs ?? 0);
        const size = channel.is_sandbox ? pageSize(page, pages) : 0;
        if (channel.is_sandbox && page === pages) {
          // What was placed in the sandbox store comes in; without it, one shopper's order.
          const placed = placedOrders.splice(0);
          for (const order of placed) importPlaced(order, channel);
          if (placed.length === 0) importOrder(channel);
          const imported = Math.max(placed.length, 1);
          report.imported += imported;
          report.unchanged += Math.max(0, size - imported);
          report.quarantined += quarantine(channel.name);
        } else {
          report.unchanged += size;
        }
        report.pages = page;
        if (size > 0) channel.sync_cursor = new Date().toISOString();
        channel.last_synced_at = new Date().toISOString();
        emit("sync-progress", {
          channel: channel.name,
          pages: report.pages,
          orders: report.imported + report.updated + report.unchanged,
          finished: false,
        });
      }
    }
    activity.unshift(syncRun(trigger, channel.name, startedAt, report, report.error));
    return report;
  }

  function importOrder(channel: Channel): void {
    const newest = orders[0];
    const order: OrderSummary = {
      id: orders.reduce((max, o) => Math.max(max, o.id), 0) + 1,
      channel: channel.name,
      number: String(Number(newest?.number ?? "1000") + 1),
      status: "imported",
      customer_name: "Test Order",
      total_minor: 1_999,
      currency: "USD",
      placed_at: new Date().toISOString(),
    };
    fulfilment.importOrder(order, channel.id);
    fulfilment.wakeOutbox();
  }

  function nextOrderId(): number {
    return orders.reduce((max, o) => Math.max(max, o.id), 0) + 1;
  }

  /** The sandbox store numbers its orders on from the highest number it has given. */
  function nextOrderNumber(): number {
    const numbers = [...orders, ...placedOrders].map((order) =>
      Number(order.number.replace(/^#/, "")),
    );
    return Math.max(1000, ...numbers.filter(Number.isFinite)) + 1;
  }

  /** Sandbox only: a shopper places the onboarding guide's test order in the sandbox store. */
  function placeTestOrder(): PlacedTestOrder {
    if (mode() !== "sandbox") {
      throw commandError(
        "invalid_input",
        "a live store is connected: place the test order in your store",
      );
    }
    const order = testStoreOrder(String(nextOrderNumber()), new Date().toISOString());
    placedOrders.push(order);
    return { number: `#${order.number}` };
  }

  function importPlaced(placed: PlacedStoreOrder, channel: Channel): void {
    const id = nextOrderId();
    fulfilment.importOrder(
      {
        id,
        channel: channel.name,
        number: placed.number,
        status: "imported",
        customer_name: placed.customer_name,
        total_minor: placed.total_minor,
        currency: placed.currency,
        placed_at: placed.placed_at,
      },
      channel.id,
      placed,
    );
    fulfilment.placedInSandboxStore(id);
    fulfilment.wakeOutbox();
  }

  /** Records the sandbox's unreadable orders; one seen again counts up instead of repeating. */
  function quarantine(channel: string): number {
    const malformed = options.malformedOrders ?? [];
    for (const bad of malformed) {
      const at = new Date().toISOString();
      const index = activity.findIndex(
        (entry) =>
          entry.kind === "quarantined" &&
          entry.channel === channel &&
          entry.channel_order_id === bad.channel_order_id,
      );
      const seen = activity[index];
      if (seen?.kind === "quarantined") activity.splice(index, 1);
      activity.unshift({
        kind: "quarantined",
        at,
        channel,
        ...bad,
        times_seen: seen?.kind === "quarantined" ? seen.times_seen + 1 : 1,
      });
    }
    return malformed.length;
  }

  async function windowSync(): Promise<SyncReport> {
    const report = await orderSync("window");
    emit("activity-changed", { reason: "order_sync" });
    return report;
  }

  async function runSync(trigger: Exclude<MockTrigger, "window">): Promise<SyncReport> {
    if (trigger === "tray") {
      const report = await orderSync(trigger);
      emit("activity-changed", { reason: "order_sync" });
      return report;
    }
    // The schedule tells the window a pass ended whether or not it worked.
    try {
      return await orderSync(trigger);
    } finally {
      emit("activity-changed", { reason: "scheduled_sync" });
    }
  }

  // ---- Dispatch -------------------------------------------------------------------------------

  function setPlan(wanted: unknown): Plan {
    const found = PLANS.find((known) => known === wanted);
    if (!found) {
      throw invalid("plan", `${JSON.stringify(wanted)} is not a plan; use basic, plus or vip`);
    }
    plan = found;
    return plan;
  }

  function requireOpen(): void {
    if (lock !== null) throw commandError("store_locked", "The store is locked: unlock it first");
  }

  async function answer(command: string, args: Record<string, unknown>): Promise<unknown> {
    if (command === "app_status") return status();
    if (command === "unlock") return unlock(String(args.passphrase));
    requireOpen();
    switch (command) {
      case "list_orders":
        return fulfilment.listOrders(args.query as ListOrders);
      case "get_order":
        return fulfilment.getOrder(Number(args.id));
      case "authorize_orders":
        return fulfilment.authorizeOrders((args.ids as unknown[]).map(Number));
      case "edit_ship_to":
        return fulfilment.editShipTo(Number(args.id), args.shipTo as ShipToInput);
      case "release_weight_hold":
        return fulfilment.releaseWeightHold(Number(args.id));
      case "route_again":
        return fulfilment.routeAgain(Number(args.id));
      case "list_sku_map":
        return fulfilment.listSkuMap();
      case "unmapped_skus":
        return fulfilment.unmappedSkus();
      case "set_sku_mapping":
        return fulfilment.setSkuMapping(String(args.storeSku), String(args.supplierSku));
      case "remove_sku_mapping":
        return fulfilment.removeSkuMapping(String(args.storeSku));
      case "auto_authorize_status":
        return fulfilment.autoAuthorizeStatus();
      case "set_auto_authorize":
        return fulfilment.setAutoAuthorize(args.rules as AutoAuthorize);
      case "list_jobs":
        return fulfilment.listJobs(Number(args.limit));
      case "retry_job":
        return fulfilment.retryJob(Number(args.id));
      case "cancel_job":
        return fulfilment.cancelJob(Number(args.id));
      case "onboarding_status":
        return fulfilment.onboarding();
      case "mark_test_order":
        return fulfilment.markTestOrder(Number(args.id));
      case "place_test_order":
        return placeTestOrder();
      case "shipment_notifications":
        return notifyShipments;
      case "set_shipment_notifications":
        notifyShipments = Boolean(args.on);
        return notifyShipments;
      case "open_tracking":
        openedTracking.push(String(args.trackingNumber));
        return null;
      case "recent_activity":
        return activity.slice(0, Number(args.limit)).map((entry) => ({ ...entry }));
      case "order_sync":
        return windowSync();
      case "set_sync_paused":
        syncPaused = Boolean(args.paused);
        emit("sync-paused-changed", { paused: syncPaused });
        return { paused: syncPaused };
      case "set_plan":
        return setPlan(args.plan);
      case "list_channels":
        return listChannels();
      case "add_channel":
        return addChannel(args.input as ChannelInput);
      case "update_channel":
        return updateChannel(Number(args.id), args.input as ChannelInput);
      case "remove_channel":
        return removeChannel(Number(args.id));
      case "test_channel":
        return testChannel(Number(args.id));
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
    runSync,
    runOutbox: () => fulfilment.runOutbox(),
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

/** `Error::InvalidInput` reaches the window as "field: message". */
function invalid(field: string, message: string) {
  return commandError("invalid_input", `${field}: ${message}`);
}

/** `ChannelInput::credentials`: the token wins; a key alone counts, with an empty secret. */
function credentialsOf(input: ChannelInput): Credentials | null {
  const given = (value: string | null | undefined) =>
    value !== null && value !== undefined && value.trim() !== "" ? value : null;
  const token = given(input.token);
  const key = given(input.consumer_key);
  const secret = given(input.consumer_secret);
  if (token !== null) return { type: "token", token };
  if (key !== null) return { type: "key_secret", key, secret: secret ?? "" };
  return null;
}

/** `credentials::check`: the kind of credentials the platform needs, not blank. */
function checkCredentials(kind: ChannelKind, given: Credentials): void {
  if (kind === "woocommerce") {
    if (given.type === "token") {
      throw invalid("credentials", "WooCommerce uses a consumer key and secret, not a token");
    }
    if (given.key.trim() === "" || given.secret.trim() === "") {
      throw invalid(
        "credentials",
        "WooCommerce needs both the consumer key and the consumer secret",
      );
    }
  } else if (given.type === "key_secret") {
    throw invalid("credentials", "this store uses an access token, not a key and secret");
  } else if (given.token.trim() === "") {
    throw invalid("credentials", "the access token is empty");
  }
}

/** `validate_store_url`: https:// except on loopback, just an address; no trailing slash. */
export function validateStoreUrl(kind: ChannelKind, raw: string): string {
  const url = raw.trim().replace(/\/+$/, "");
  const parts = splitUrl(url);
  if (!parts) {
    throw invalid("url", `${JSON.stringify(url)} is not a URL; it should start with https://`);
  }
  const { scheme, authority, rest } = parts;
  if (authority === "" || authority.includes("@") || /[?# ]/.test(url)) {
    throw invalid(
      "url",
      `${JSON.stringify(url)} should be just the store's address, without credentials or a query`,
    );
  }
  const loopback = isLoopbackHost(hostOf(authority));
  const lower = scheme.toLowerCase();
  if (lower === "http" && !loopback) {
    throw invalid(
      "url",
      `${url} uses http://; a store must be reached over https:// (plain http is only accepted on this machine's loopback address)`,
    );
  }
  if (lower !== "https" && lower !== "http") {
    throw invalid("url", `${lower}:// is not a web address; use https://`);
  }
  if (kind === "bigcommerce" && !loopback && !rest.includes("/stores/")) {
    throw invalid(
      "url",
      `${url} is not a BigCommerce API base; use https://api.bigcommerce.com/stores/{store hash}`,
    );
  }
  if (kind === "shopify" && !loopback && rest.includes("/")) {
    throw invalid("url", `${url} has a path; use https://{shop}.myshopify.com`);
  }
  return url;
}

/** What a store calls itself in the mock: its host's first label, "main-store" → "Main Store". */
function storeNameOf(channel: Channel): string {
  const host = hostOf(splitUrl(channel.base_url)?.authority ?? "");
  const label = host.startsWith("api.") ? channel.name : (host.split(".")[0] ?? host);
  return label
    .split(/[-_]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ");
}

/** `sync::summary`: one line for the dealer. */
function summary(reports: ChannelReport[]): string {
  if (reports.length === 0) return "No sales channel is connected: add one in Settings.";
  const parts = [
    `${sum(reports, (r) => r.imported)} new`,
    `${sum(reports, (r) => r.updated)} updated`,
  ];
  const quarantined = sum(reports, (r) => r.quarantined);
  if (quarantined > 0) parts.push(`${quarantined} could not be read (see Activity)`);
  const failed = reports.flatMap((r) => (r.error ? [`${r.channel}: ${r.error}`] : []));
  const message = `Order Sync: ${parts.join(", ")}.`;
  return failed.length > 0 ? `${message} Failed: ${failed.join("; ")}.` : message;
}

type RunCounts = Pick<ChannelReport, "imported" | "updated" | "quarantined">;

const NO_COUNTS: RunCounts = { imported: 0, updated: 0, quarantined: 0 };

function syncRun(
  trigger: MockTrigger,
  channel: string | null,
  startedAt: string,
  counts: RunCounts,
  error: string | null,
): ActivityEntry {
  return {
    kind: "sync_run",
    at: startedAt,
    trigger,
    channel,
    finished_at: new Date().toISOString(),
    imported: counts.imported,
    updated: counts.updated,
    quarantined: counts.quarantined,
    error,
  };
}

/** Full pages of SANDBOX_PAGE_SIZE, then half a page: 3 pages are 100 + 100 + 50 orders. */
function pageSize(page: number, pages: number): number {
  return page < pages ? SANDBOX_PAGE_SIZE : SANDBOX_PAGE_SIZE / 2;
}

function sum<T>(items: T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}

/** SQLite's default (binary) collation, as `ORDER BY name` uses. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
