// Deterministic fake data for the mock backend: the same orders on every run, so tests and
// screenshots are stable.

import type { ActivityEntry, Channel, OrderStatus, OrderSummary } from "../../bindings";

/** The loopback store every new install starts with (`dealer_core::seed::SANDBOX_CHANNEL`). */
export const SANDBOX_CHANNEL_NAME = "Sandbox Store";

/** The sandbox channel as `list_channels` returns it: always first, never edited or removed. */
export function sandboxChannel(syncCursor: string | null = null): Channel {
  return {
    id: 1,
    kind: "shopify",
    name: SANDBOX_CHANNEL_NAME,
    base_url: "http://127.0.0.1:38211",
    is_sandbox: true,
    sync_cursor: syncCursor,
    last_synced_at: syncCursor,
  };
}

/** A connected real store, for previews and tests of live mode. */
export function liveChannel(overrides: Partial<Channel> = {}): Channel {
  return {
    id: 2,
    kind: "shopify",
    name: "Main store",
    base_url: "https://main-store.myshopify.com",
    is_sandbox: false,
    sync_cursor: null,
    last_synced_at: null,
    ...overrides,
  };
}

const CUSTOMERS = [
  "Ada Lovelace",
  "Grace Hopper",
  "Katherine Johnson",
  "Alan Turing",
  "Margaret Hamilton",
  "Edsger Dijkstra",
  "Barbara Liskov",
  "Donald Knuth",
  "Frances Allen",
  "Ken Thompson",
  "Radia Perlman",
  "Dennis Ritchie",
];

const FIRST_NUMBER = 1001;
const HOUR_MS = 3_600_000;
/** The newest seeded order is placed at this instant; older ones go back 3 hours each. */
const NEWEST_PLACED_AT = Date.UTC(2025, 10, 27, 9, 0, 0);

/** `age` 0 is the newest order: recent orders are early in the lifecycle, older ones done. */
function statusForAge(age: number): OrderStatus {
  if (age % 29 === 11) return "cancelled";
  if (age % 17 === 5) return "needs_attention";
  if (age < 3) return age === 0 ? "imported" : "awaiting_authorization";
  if (age < 6) return "authorized";
  if (age < 9) return "processing";
  if (age < 12) return age % 2 === 0 ? "partially_shipped" : "shipped";
  return "completed";
}

export function seedOrder(index: number, count: number): OrderSummary {
  const age = count - 1 - index;
  return {
    id: index + 1,
    channel: SANDBOX_CHANNEL_NAME,
    number: String(FIRST_NUMBER + index),
    status: statusForAge(age),
    customer_name: CUSTOMERS[index % CUSTOMERS.length] ?? "Customer",
    // 196.33 for the first order, then a spread of plausible totals, all in cents.
    total_minor: 19_633 + ((index * 7_919) % 48_000),
    currency: "USD",
    placed_at: new Date(NEWEST_PLACED_AT - age * 3 * HOUR_MS).toISOString(),
  };
}

/** `count` orders, newest first, as the backend lists them. */
export function seedOrders(count: number): OrderSummary[] {
  return Array.from({ length: count }, (_, index) => seedOrder(index, count)).reverse();
}

/** A short history for the newest orders: newest entry first. */
export function seedActivity(orders: OrderSummary[]): ActivityEntry[] {
  const entries: ActivityEntry[] = [];
  for (const order of orders.slice(0, 3)) {
    entries.push({
      kind: "order_event",
      at: order.placed_at,
      order_id: order.id,
      order_number: order.number,
      from: null,
      to: "imported",
      actor: "scheduler",
      detail: "Imported from the Sandbox store",
    });
    if (order.status !== "imported") {
      entries.push({
        kind: "order_event",
        at: new Date(Date.parse(order.placed_at) + 60_000).toISOString(),
        order_id: order.id,
        order_number: order.number,
        from: "imported",
        to: "awaiting_authorization",
        actor: "system",
        detail: "Routed to US Direct: all checks passed",
      });
    }
  }
  const newest = orders[0]?.placed_at ?? new Date(NEWEST_PLACED_AT).toISOString();
  entries.push({
    kind: "sync_run",
    at: newest,
    trigger: "schedule",
    channel: SANDBOX_CHANNEL_NAME,
    finished_at: new Date(Date.parse(newest) + 2_000).toISOString(),
    imported: Math.min(orders.length, 3),
    updated: 0,
    quarantined: 0,
    error: null,
  });
  entries.push({
    kind: "quarantined",
    at: new Date(Date.parse(newest) + 1_000).toISOString(),
    channel: SANDBOX_CHANNEL_NAME,
    channel_order_id: "5012344990",
    reason: 'total_price "19,99" is not an amount in USD',
    excerpt:
      '{"id":5012344990,"name":"#1090","currency":"USD","total_price":"19,99","line_items":[…]}',
    times_seen: 2,
  });
  return entries.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}
