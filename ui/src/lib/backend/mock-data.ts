// Deterministic fake data for the mock backend: the same orders on every run, so tests and
// screenshots are stable.

import type {
  ActivityEntry,
  Actor,
  Address,
  Attention,
  Channel,
  JobKind,
  JobState,
  OrderEvent,
  OrderStatus,
  OrderSummary,
  PaymentStatus,
  ShipmentView,
  SupplierInvoiceView,
} from "../../bindings";
import { problemMessage, routingProblems } from "./mock-routing";

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

/** What the sandbox store sells; the Sandbox maps these SKUs to themselves. */
export const CATALOG = [
  { sku: "USD-1001", title: "Cordless drill kit", grams: 2_100 },
  { sku: "USD-1002", title: "LED work light", grams: 800 },
  { sku: "USD-1003", title: "Socket set, 40 pieces", grams: 1_900 },
  { sku: "USD-1004", title: "Shop vacuum, 5 gallon", grams: 5_200 },
  { sku: "USD-1005", title: "Cast iron anvil, 15 lb", grams: 6_804 },
  { sku: "USD-1006", title: "Tool bag, 16 inch", grams: 1_100 },
  { sku: "USD-1007", title: "Laser level", grams: 600 },
  { sku: "USD-1008", title: "Safety glasses, 3 pack", grams: 200 },
] as const;

const ANVIL = 4;
const STORE_ID = "store-7f3a";

/** Why a seeded order needs attention, picked by its id so every run has the same ones. */
export type AttentionSeed =
  | "missing_phone"
  | "alaska"
  | "declined"
  | "refused"
  | "po_box"
  | "unmapped_sku"
  | "overweight";

// Ordered so the newest orders needing attention in the default 240 are a PO box, Alaska and an
// unmapped SKU.
const ATTENTION_SEEDS: readonly AttentionSeed[] = [
  "missing_phone",
  "alaska",
  "declined",
  "refused",
  "po_box",
  "unmapped_sku",
  "overweight",
];

export function attentionSeed(order: OrderSummary): AttentionSeed | null {
  if (order.status !== "needs_attention") return null;
  return ATTENTION_SEEDS[order.id % ATTENTION_SEEDS.length] ?? "refused";
}

export interface MockLine {
  sku: string;
  title: string;
  quantity: number;
  unit_price_minor: number;
  unit_weight_grams: number;
}

const STREETS = [
  {
    line1: "1600 Amphitheatre Pkwy",
    city: "Mountain View",
    state_code: "CA",
    postal_code: "94043",
  },
  { line1: "350 Fifth Ave", city: "New York", state_code: "NY", postal_code: "10118" },
  { line1: "233 S Wacker Dr", city: "Chicago", state_code: "IL", postal_code: "60606" },
  { line1: "600 Congress Ave", city: "Austin", state_code: "TX", postal_code: "78701" },
  { line1: "400 Broad St", city: "Seattle", state_code: "WA", postal_code: "98109" },
  { line1: "12 Main St", city: "Boise", state_code: "ID", postal_code: "83702" },
];

/** "Ada Lovelace" → "ada.lovelace@example.com" */
export function seedEmail(order: OrderSummary): string {
  const local = order.customer_name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ".")
    .replace(/^\.|\.$/g, "");
  return `${local || "customer"}@example.com`;
}

export function seedShipTo(order: OrderSummary): Address {
  const street = STREETS[order.id % STREETS.length] ?? STREETS[0];
  const seed = attentionSeed(order);
  const address: Address = {
    name: order.customer_name,
    line1: street?.line1 ?? "1 Main St",
    line2: order.id % 5 === 0 ? `Suite ${100 + (order.id % 50)}` : null,
    city: street?.city ?? "Boise",
    state_code: street?.state_code ?? "ID",
    postal_code: street?.postal_code ?? "83702",
    country_code: "US",
    phone: `+1 (217) 555-${String(1000 + (order.id % 9000))}`,
  };
  if (seed === "po_box")
    return { ...address, line1: `PO Box ${4000 + (order.id % 900)}`, line2: null };
  if (seed === "alaska") {
    return {
      ...address,
      line1: "420 L St",
      city: "Anchorage",
      state_code: "AK",
      postal_code: "99501",
    };
  }
  if (seed === "missing_phone") return { ...address, phone: null };
  return address;
}

/** A total split the way stores charge it: subtotal, flat shipping under $100, 7% tax on top. */
export function splitTotal(total: number): { subtotal: number; shipping: number; tax: number } {
  const shipping = total >= 3_000 && total < 10_000 ? 995 : 0;
  const tax = Math.round(((total - shipping) * 7) / 107);
  return { subtotal: total - shipping - tax, shipping, tax };
}

export function seedLines(order: OrderSummary): MockLine[] {
  const { subtotal } = splitTotal(order.total_minor);
  const seed = attentionSeed(order);
  const item = (index: number) => CATALOG[index % CATALOG.length] ?? CATALOG[0];
  const line = (index: number, quantity: number, unit: number): MockLine => ({
    sku: item(index).sku,
    title: item(index).title,
    quantity,
    unit_price_minor: unit,
    unit_weight_grams: item(index).grams,
  });
  if (seed === "overweight") {
    const anvil = Math.floor((subtotal * 0.4) / 2);
    return [line(ANVIL, 2, anvil), line(0, 1, subtotal - 2 * anvil)];
  }
  // Two different items (id % 8 and (3 id + 1) % 8 never meet), light enough to ship.
  const first = order.id % CATALOG.length;
  const lines =
    subtotal < 3_000
      ? [line(first, 1, subtotal)]
      : [
          line(first, 1, Math.floor(subtotal * 0.6)),
          line((order.id * 3 + 1) % CATALOG.length, 1, subtotal - Math.floor(subtotal * 0.6)),
        ];
  if (seed === "unmapped_sku") {
    const last = lines[lines.length - 1] as MockLine;
    last.sku = `OWN-${201 + (order.id % 3)}`;
    last.title = "Gift wrap (the store's own item)";
    last.unit_weight_grams = 150;
  }
  return lines;
}

export function seedTracking(order: OrderSummary): string {
  return `1Z999AA101${String(order.id).padStart(8, "0")}`;
}

const MINUTE_MS = 60_000;

/** When each step of a seeded order happened, in minutes after it was placed. */
const STEP = { routed: 1, placed: 2, authorized: 30, accepted: 31, shipped: 120, completed: 130 };

function at(order: OrderSummary, minutes: number): string {
  return new Date(Date.parse(order.placed_at) + minutes * MINUTE_MS).toISOString();
}

/** The supplier order exists: US Direct accepted the create request. */
function hasSupplierOrder(order: OrderSummary): boolean {
  const seed = attentionSeed(order);
  if (order.status === "imported") return false;
  if (order.status === "needs_attention") return seed === "declined";
  return true;
}

function authorizedBy(order: OrderSummary): Actor {
  return order.id % 2 === 0 ? "auto_rule" : "dealer";
}

export function seedInvoice(order: OrderSummary): SupplierInvoiceView | null {
  if (!hasSupplierOrder(order)) return null;
  const { subtotal } = splitTotal(order.total_minor);
  const product = Math.round(subtotal * 0.62);
  const shipping = 799;
  const paid: Partial<Record<OrderStatus, PaymentStatus>> = {
    processing: "authorized",
    partially_shipped: "authorized",
    shipped: "authorized",
    completed: "paid",
    needs_attention: "declined",
  };
  return {
    order_id: `USD-SO-${500_000 + order.id}`,
    invoice_id: `INV-${700_000 + order.id}`,
    currency: "USD",
    product_cost_minor: product,
    shipping_cost_minor: shipping,
    total_cost_minor: product + shipping,
    payment_status: paid[order.status] ?? "not_authorized",
  };
}

export function seedShipments(order: OrderSummary, lines: MockLine[]): ShipmentView[] {
  if (!["partially_shipped", "shipped", "completed"].includes(order.status)) return [];
  const tracking = seedTracking(order);
  const shipped = order.status === "partially_shipped" ? lines.slice(0, 1) : lines;
  return [
    {
      tracking_number: tracking,
      carrier: "UPS",
      tracking_url: `https://www.ups.com/track?tracknum=${tracking}`,
      shipped_at: at(order, STEP.shipped),
      pushed_at: order.status === "completed" ? at(order, STEP.completed) : null,
      lines: shipped.map((line) => ({ sku: line.sku, quantity: line.quantity })),
    },
  ];
}

/** `Money`'s display in the engine's messages: "123.45 USD". */
export function moneyText(minor: number, currency: string): string {
  const digits = currency === "JPY" ? 0 : 2;
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  if (digits === 0) return `${sign}${abs} ${currency}`;
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")} ${currency}`;
}

type Step = Omit<OrderEvent, "id" | "order_id">;

/** The timeline a seeded order went through to reach its status, oldest first. */
export function seedTimeline(order: OrderSummary): Step[] {
  const steps: Step[] = [];
  const step = (
    minutes: number,
    from: OrderStatus | null,
    to: OrderStatus,
    actor: Actor,
    detail: string,
  ) => steps.push({ at: at(order, minutes), from, to, actor, detail });
  const seed = attentionSeed(order);
  const invoice = seedInvoice(order);
  const attentionReason = seedAttention(order)?.reason ?? "";
  step(0, null, "imported", "scheduler", `Imported from ${order.channel}`);
  if (order.status === "imported") {
    step(STEP.routed, "imported", "imported", "system", ROUTED_NOTE);
    return steps;
  }
  if (seed && seed !== "declined") {
    if (seed === "refused") {
      step(STEP.routed, "imported", "imported", "system", ROUTED_NOTE);
      step(STEP.placed, "imported", "needs_attention", "supplier", attentionReason);
    } else {
      step(STEP.routed, "imported", "needs_attention", "system", attentionReason);
    }
    return steps;
  }
  step(STEP.routed, "imported", "imported", "system", ROUTED_NOTE);
  if (invoice) {
    const total = moneyText(invoice.total_cost_minor, invoice.currency);
    step(
      STEP.placed,
      "imported",
      "awaiting_authorization",
      "supplier",
      `placed with US Direct as ${invoice.order_id}; invoice ${invoice.invoice_id} for ${total} (items ${moneyText(invoice.product_cost_minor, invoice.currency)}, shipping ${moneyText(invoice.shipping_cost_minor, invoice.currency)})`,
    );
    if (order.status === "cancelled") {
      step(
        STEP.authorized,
        "awaiting_authorization",
        "cancelled",
        "scheduler",
        `Cancelled in ${order.channel}`,
      );
      step(
        STEP.accepted,
        "cancelled",
        "cancelled",
        "supplier",
        `US Direct cancelled its order ${invoice.order_id}`,
      );
      return steps;
    }
    if (order.status === "awaiting_authorization") return steps;
    const by = authorizedBy(order);
    step(
      STEP.authorized,
      "awaiting_authorization",
      "authorized",
      by,
      by === "auto_rule"
        ? `Auto Authorize: payment of ${total} authorized`
        : `Authorize Order for Payment: ${total}`,
    );
    if (order.status === "authorized") return steps;
    if (seed === "declined") {
      step(STEP.accepted, "authorized", "needs_attention", "supplier", attentionReason);
      return steps;
    }
    step(
      STEP.accepted,
      "authorized",
      "processing",
      "supplier",
      `US Direct authorized payment of invoice ${invoice.invoice_id}; it will ship the order`,
    );
  }
  if (order.status === "processing") return steps;
  const shippedTo = order.status === "partially_shipped" ? "partially_shipped" : "shipped";
  step(
    STEP.shipped,
    "processing",
    shippedTo,
    "supplier",
    `Shipped by UPS, tracking ${seedTracking(order)}`,
  );
  if (order.status === "completed") {
    step(
      STEP.completed,
      "shipped",
      "completed",
      "scheduler",
      `Tracking written back to ${order.channel}`,
    );
  }
  return steps;
}

/** Why a seeded order needs attention, as the engine would have put it. */
export function seedAttention(order: OrderSummary): Attention | null {
  const seed = attentionSeed(order);
  if (seed === null) return null;
  if (seed === "declined") {
    return { kind: "declined", reason: DECLINED_REASON, problems: [] };
  }
  if (seed === "refused") {
    return {
      kind: "refused",
      reason:
        "US Direct refused the order: item USD-1004 is discontinued. Fix it, then Resolve to send it again.",
      problems: [],
    };
  }
  const problems = routingProblems(seedShipTo(order), seedLines(order), (sku) =>
    SEED_SKU_MAP.includes(sku),
  );
  return { kind: "routing", reason: problems.map(problemMessage).join(" "), problems };
}

export const DECLINED_REASON =
  "US Direct declined the payment: the card on file has expired. Fix the payment method with US Direct, then Authorize again.";

/** The Sandbox maps its catalog's SKUs to themselves (`Store::map_skus_to_themselves`). */
export const SEED_SKU_MAP: readonly string[] = CATALOG.map((item) => item.sku);

export const ROUTED_NOTE = "US Direct's checks passed; sending the order to US Direct";

/** A job as seeded, before the mock numbers it. */
export interface JobSeed {
  kind: JobKind;
  order_id: number;
  order_number: string;
  idempotency_key: string;
  state: JobState;
  attempts: number;
  next_run_at: string;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export function idempotencyKey(kind: JobKind, orderId: number, attempt: number): string {
  const verb = kind === "create_supplier_order" ? "create" : "authorize";
  return `${STORE_ID}:${verb}:${orderId}:${attempt}`;
}

export const REFUSED_ERROR =
  "US Direct refused the order (422 item_discontinued): item USD-1004 is discontinued";
export const BUSY_ERROR = "US Direct is busy (HTTP 503); trying again";

/** The outbox jobs a seeded order's history made, oldest first. */
export function seedJobs(order: OrderSummary): JobSeed[] {
  const seed = attentionSeed(order);
  const job = (
    kind: JobKind,
    state: JobState,
    minutes: number,
    extra: Partial<JobSeed> = {},
  ): JobSeed => ({
    kind,
    order_id: order.id,
    order_number: order.number,
    idempotency_key: idempotencyKey(kind, order.id, 1),
    state,
    attempts: state === "pending" ? 0 : 1,
    next_run_at: at(order, minutes),
    last_error: null,
    created_at: at(order, minutes),
    updated_at: at(order, minutes + 1),
    finished_at: state === "succeeded" || state === "failed" ? at(order, minutes + 1) : null,
    ...extra,
  });
  if (order.status === "imported") return [job("create_supplier_order", "pending", STEP.routed)];
  if (seed === "refused") {
    return [job("create_supplier_order", "failed", STEP.routed, { last_error: REFUSED_ERROR })];
  }
  if (seed !== null && seed !== "declined") return [];
  const jobs = [job("create_supplier_order", "succeeded", STEP.routed)];
  if (order.status === "cancelled") {
    const invoice = seedInvoice(order);
    jobs.push(
      job("cancel_supplier_order", "succeeded", STEP.authorized, {
        idempotency_key: `cancel:${invoice?.order_id ?? order.id}`,
      }),
    );
    return jobs;
  }
  if (order.status === "awaiting_authorization") return jobs;
  if (order.status === "authorized") {
    // One of the orders waiting on US Direct has been retried after it was busy.
    const busy = order.id % 2 === 0;
    jobs.push(
      job("authorize_payment", "pending", STEP.authorized, {
        attempts: busy ? 2 : 0,
        last_error: busy ? BUSY_ERROR : null,
        next_run_at: at(order, STEP.authorized + (busy ? 4 : 0)),
      }),
    );
    return jobs;
  }
  jobs.push(job("authorize_payment", "succeeded", STEP.authorized));
  return jobs;
}

export function seedAuthorization(order: OrderSummary): { at: string; by: Actor } | null {
  if (
    !["authorized", "processing", "partially_shipped", "shipped", "completed"].includes(
      order.status,
    )
  ) {
    return null;
  }
  return { at: at(order, STEP.authorized), by: authorizedBy(order) };
}

/** A short history for the newest orders, from their timelines: newest entry first. */
export function seedActivity(orders: OrderSummary[]): ActivityEntry[] {
  const entries: ActivityEntry[] = [];
  for (const order of orders.slice(0, 3)) {
    for (const event of seedTimeline(order)) {
      entries.push({
        kind: "order_event",
        at: event.at,
        order_id: order.id,
        order_number: order.number,
        from: event.from,
        to: event.to,
        actor: event.actor,
        detail: event.detail,
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

/**
 * UPS's check digit for the 15 characters after "1Z" (`dealer_core::tracking::ups_check_digit`):
 * letters count `(letter - 'A' + 2) % 10`, odd positions once, even positions twice, and the
 * digit brings the sum up to a multiple of 10.
 */
export function upsCheckDigit(body: string): number {
  let sum = 0;
  for (const [index, char] of [...body.toUpperCase()].entries()) {
    const code = char.charCodeAt(0);
    const value = code >= 65 && code <= 90 ? (code - 65 + 2) % 10 : Number(char);
    sum += index % 2 === 0 ? value : 2 * value;
  }
  return (10 - (sum % 10)) % 10;
}

/** A valid UPS number the sandbox US Direct ships an order with: shipper, service, package. */
export function upsTrackingNumber(orderId: number): string {
  const body = `999AA103${String(orderId % 10_000_000).padStart(7, "0")}`;
  return `1Z${body}${upsCheckDigit(body)}`;
}

/** What the sandbox store holds for an order placed there, before Order Sync imports it. */
export interface PlacedStoreOrder {
  number: string;
  placed_at: string;
  customer_name: string;
  customer_email: string;
  ship_to: Address;
  lines: MockLine[];
  subtotal_minor: number;
  shipping_minor: number;
  tax_minor: number;
  total_minor: number;
  currency: string;
}

/**
 * The onboarding guide's test order (`dealer_sandbox::PlaceOrder::test_order`): one $4.99 item,
 * free shipping, Texas sales tax, shipped inside the lower 48.
 */
export function testStoreOrder(number: string, placedAt: string): PlacedStoreOrder {
  const price = 499;
  const tax = 41;
  return {
    number,
    placed_at: placedAt,
    customer_name: "Taylor Tester",
    customer_email: "taylor.tester@example.com",
    ship_to: {
      name: "Taylor Tester",
      line1: "500 W 2nd St",
      line2: "Suite 1900",
      city: "Austin",
      state_code: "TX",
      postal_code: "78701",
      country_code: "US",
      phone: "+1 512-555-0134",
    },
    lines: [
      {
        sku: "USD-1001",
        title: "Sample Pack: Microfiber Cloth",
        quantity: 1,
        unit_price_minor: price,
        unit_weight_grams: 60,
      },
    ],
    subtotal_minor: price,
    shipping_minor: 0,
    tax_minor: tax,
    total_minor: price + tax,
    currency: "USD",
  };
}
