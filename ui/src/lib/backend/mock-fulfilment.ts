// The mock backend's orders past import: the Orders list query, the order page, Authorize Order
// for Payment, the Resolve actions, the SKU map, Auto Authorize and the outbox with its jobs.
// A port of `dealer_core::fulfilment`, `store::order_query`, `store::order_detail`,
// `store::sku_map` and `outbox` at the level the window sees: the same rules, statuses, events
// and messages. Seeded orders are expanded into full orders only when something needs them, so
// a mock with 100,000 orders starts quickly.

import type {
  ActivityEntry,
  Actor,
  Address,
  Attention,
  AttentionKind,
  AuthorizeOutcome,
  AutoAuthorize,
  AutoAuthorizeStatus,
  Channel,
  Job,
  JobKind,
  ListOrders,
  Onboarding,
  OnboardingCheck,
  OnboardingStep,
  OrderDetail,
  OrderEvent,
  OrderPage,
  OrderStatus,
  OrderSummary,
  RoutingProblem,
  ShipmentView,
  ShipToInput,
  SkuMapping,
  StatusCount,
  SupplierInvoiceView,
} from "../../bindings";
import { commandError } from "./errors";
import {
  idempotencyKey,
  type MockLine,
  moneyText,
  ROUTED_NOTE,
  SEED_SKU_MAP,
  seedAttention,
  seedAuthorization,
  seedEmail,
  seedInvoice,
  seedJobs,
  seedLines,
  seedShipments,
  seedShipTo,
  seedTimeline,
  seedTracking,
  splitTotal,
  upsTrackingNumber,
} from "./mock-data";
import { problemMessage, routingProblems } from "./mock-routing";

/** What the fulfilment part shares with the rest of the mock. */
export interface FulfilmentContext {
  /** Every order, newest first (the same array the rest of the mock holds). */
  orders: OrderSummary[];
  /** Newest first; order events are added here too, as `recent_activity` reads them. */
  activity: ActivityEntry[];
  channels: () => Channel[];
  /** Tells the window orders or jobs changed (`activity-changed`). */
  changed: (reason: string) => void;
}

export interface FulfilmentOptions {
  autoAuthorize?: AutoAuthorize;
  /** Ids of orders whose payment US Direct declines when the outbox authorizes it. */
  declinePayments?: number[];
  /**
   * Runs the outbox on its own this long after a command queues a job, as the app's worker
   * does. Unset (tests), the outbox runs only when `runOutbox` is called.
   */
  outboxDelayMs?: number;
  /**
   * The sandbox US Direct ships a test order this long after it confirmed the payment, and the
   * app picks the tracking up then. Unset (tests), it ships in the same outbox pass.
   */
  sandboxShipDelayMs?: number;
}

/** What an imported order brings beyond its summary; seeded from the summary when left out. */
export interface ImportedOrder {
  customer_email: string | null;
  ship_to: Address;
  lines: MockLine[];
  subtotal_minor: number;
  shipping_minor: number;
  tax_minor: number;
}

/** An order past its summary: what the order page shows, stored as the engine stores it. */
interface MockOrder {
  summary: OrderSummary;
  channel_order_id: string;
  customer_email: string | null;
  ship_to: Address;
  lines: MockLine[];
  subtotal_minor: number;
  shipping_minor: number;
  tax_minor: number;
  supplier: SupplierInvoiceView | null;
  attention: Attention | null;
  weight_hold_released: boolean;
  authorized_at: string | null;
  authorized_by: Actor | null;
  shipments: ShipmentView[];
  events: OrderEvent[];
}

const STATUS_ORDER: readonly OrderStatus[] = [
  "imported",
  "awaiting_authorization",
  "authorized",
  "processing",
  "partially_shipped",
  "shipped",
  "completed",
  "needs_attention",
  "cancelled",
];

/** `OrderStatus::next_allowed`. */
const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  imported: ["awaiting_authorization", "needs_attention", "cancelled"],
  awaiting_authorization: ["authorized", "needs_attention", "cancelled"],
  authorized: ["processing", "needs_attention", "cancelled"],
  processing: ["partially_shipped", "shipped", "needs_attention", "cancelled"],
  partially_shipped: ["shipped", "needs_attention"],
  shipped: ["completed", "needs_attention"],
  completed: [],
  needs_attention: [
    "imported",
    "awaiting_authorization",
    "processing",
    "partially_shipped",
    "shipped",
    "cancelled",
  ],
  cancelled: [],
};

const MAX_LIST_LIMIT = 1000;
const SEARCH_WORDS = 8;
const SKU_MAP_SEEDED_AT = "2025-11-01T00:00:00.000Z";
const SUPPLIER_SHIPPING_MINOR = 799;
/** Ids set aside for each seeded order's jobs (a seeded order has at most two). */
const JOB_SLOTS = 3;

export function createFulfilment(context: FulfilmentContext, options: FulfilmentOptions = {}) {
  const { orders, activity } = context;
  const byId = new Map(orders.map((order) => [order.id, order]));
  const details = new Map<number, MockOrder>();
  // An order keeps its channel's id when the channel is renamed or removed.
  const channelIds = new Map<number, number>();
  const channelIdByName = new Map(context.channels().map((channel) => [channel.name, channel.id]));
  for (const order of orders) channelIds.set(order.id, channelIdByName.get(order.channel) ?? 0);
  const searchTexts = new Map<number, string>();
  const skuMap = new Map<string, { supplier_sku: string; updated_at: string }>(
    SEED_SKU_MAP.map((sku) => [sku, { supplier_sku: sku, updated_at: SKU_MAP_SEEDED_AT }]),
  );
  const declines = new Set(options.declinePayments ?? []);
  let rules: AutoAuthorize = options.autoAuthorize ?? {
    enabled: false,
    max_total_minor: null,
    daily_cap_minor: null,
  };
  let nextEventId = 1;
  // Jobs are kept per order and seeded the first time an order's jobs are needed. A seeded job's
  // id follows from its order's age (oldest order first, JOB_SLOTS ids each), so ids run in the
  // order the jobs were made without seeding them all; jobs made later number on from there.
  const jobsByOrder = new Map<number, Job[]>();
  const rankOf = new Map(orders.map((order, index) => [order.id, orders.length - 1 - index]));
  const seededById = [...orders].reverse();
  /** Jobs made after start-up, which may belong to any order. */
  const madeJobs: Job[] = [];
  const seededIdLimit = orders.length * JOB_SLOTS;
  let nextJobId = seededIdLimit + 1;
  // Jobs that have not reached their end are the outbox's business from the start.
  for (const order of orders) {
    if (["imported", "authorized", "needs_attention"].includes(order.status)) jobsOf(order.id);
  }
  let outboxTimer: ReturnType<typeof setTimeout> | null = null;
  /** The order the dealer marked as the onboarding test order. */
  let markedTestOrder: number | null = null;
  /** Orders placed from the app in the sandbox store (Place a test order). */
  const placedInSandbox = new Set<number>();

  // ---- Orders ---------------------------------------------------------------------------------

  function summaryOf(id: number): OrderSummary {
    const summary = byId.get(id);
    if (!summary) throw commandError("not_found", `order ${id} was not found`);
    return summary;
  }

  /** The full order, expanded from its seed the first time it is needed. */
  function full(id: number): MockOrder {
    const known = details.get(id);
    if (known) return known;
    const summary = summaryOf(id);
    const { subtotal, shipping, tax } = splitTotal(summary.total_minor);
    const authorization = seedAuthorization(summary);
    const lines = seedLines(summary);
    const order: MockOrder = {
      summary,
      channel_order_id: String(5_000_000_000 + id),
      customer_email: seedEmail(summary),
      ship_to: seedShipTo(summary),
      lines,
      subtotal_minor: subtotal,
      shipping_minor: shipping,
      tax_minor: tax,
      supplier: seedInvoice(summary),
      attention: seedAttention(summary),
      weight_hold_released: false,
      authorized_at: authorization?.at ?? null,
      authorized_by: authorization?.by ?? null,
      shipments: seedShipments(summary, lines),
      events: seedTimeline(summary).map((step) => ({ ...step, id: nextEventId++, order_id: id })),
    };
    details.set(id, order);
    // Seeded from the same status as the order, before anything changes it.
    jobsOf(id);
    return order;
  }

  /** Adds an order Order Sync just imported (newest first) and routes it, as the engine does. */
  function importOrder(summary: OrderSummary, channelId: number, given?: ImportedOrder): void {
    orders.unshift(summary);
    byId.set(summary.id, summary);
    channelIds.set(summary.id, channelId);
    const { subtotal, shipping, tax } = splitTotal(summary.total_minor);
    const order: MockOrder = {
      summary,
      channel_order_id: String(5_000_000_000 + summary.id),
      customer_email: given ? given.customer_email : seedEmail(summary),
      ship_to: given ? { ...given.ship_to } : seedShipTo(summary),
      lines: given ? given.lines.map((line) => ({ ...line })) : seedLines(summary),
      subtotal_minor: given?.subtotal_minor ?? subtotal,
      shipping_minor: given?.shipping_minor ?? shipping,
      tax_minor: given?.tax_minor ?? tax,
      supplier: null,
      attention: null,
      weight_hold_released: false,
      authorized_at: null,
      authorized_by: null,
      shipments: [],
      events: [],
    };
    details.set(summary.id, order);
    record(order, null, "imported", "scheduler", `Imported from ${summary.channel}`);
    route(order);
  }

  function record(
    order: MockOrder,
    from: OrderStatus | null,
    to: OrderStatus,
    actor: Actor,
    detail: string,
  ): void {
    const at = new Date().toISOString();
    const id = order.summary.id;
    order.events.push({ id: nextEventId++, order_id: id, at, from, to, actor, detail });
    order.summary.status = to;
    searchTexts.delete(id);
    activity.unshift({
      kind: "order_event",
      at,
      order_id: id,
      order_number: order.summary.number,
      from,
      to,
      actor,
      detail,
    });
  }

  /** `lifecycle::transition`: only the moves the lifecycle allows. */
  function transition(order: MockOrder, to: OrderStatus, actor: Actor, detail: string): void {
    const from = order.summary.status;
    if (!NEXT[from].includes(to)) {
      throw commandError(
        "invalid_transition",
        `order ${order.summary.id} is ${from}; it cannot become ${to}`,
      );
    }
    record(order, from, to, actor, detail);
    if (to !== "needs_attention") order.attention = null;
  }

  function note(order: MockOrder, actor: Actor, detail: string): void {
    record(order, order.summary.status, order.summary.status, actor, detail);
  }

  function needsAttention(
    order: MockOrder,
    actor: Actor,
    kind: AttentionKind,
    reason: string,
    problems: RoutingProblem[] = [],
  ): void {
    transition(order, "needs_attention", actor, reason);
    order.attention = { kind, reason, problems };
  }

  function detailOf(order: MockOrder): OrderDetail {
    const { summary, supplier } = order;
    const attention = summary.status === "needs_attention" ? order.attention : null;
    return {
      id: summary.id,
      channel_id: channelIds.get(summary.id) ?? 0,
      channel: summary.channel,
      channel_order_id: order.channel_order_id,
      number: summary.number,
      status: summary.status,
      customer_name: summary.customer_name,
      customer_email: order.customer_email,
      ship_to: { ...order.ship_to },
      lines: order.lines.map((line) => ({
        ...line,
        supplier_sku: skuMap.get(line.sku)?.supplier_sku ?? null,
      })),
      currency: summary.currency,
      subtotal_minor: order.subtotal_minor,
      shipping_minor: order.shipping_minor,
      tax_minor: order.tax_minor,
      total_minor: summary.total_minor,
      supplier: supplier ? { ...supplier } : null,
      margin_minor:
        supplier && supplier.currency === summary.currency
          ? order.subtotal_minor + order.shipping_minor - supplier.total_cost_minor
          : null,
      attention: attention
        ? { ...attention, problems: attention.problems.map((p) => ({ ...p })) }
        : null,
      weight_hold_released: order.weight_hold_released,
      authorized_at: order.authorized_at,
      authorized_by: order.authorized_by,
      placed_at: summary.placed_at,
      can_authorize: summary.status === "awaiting_authorization" || attention?.kind === "declined",
      shipments: order.shipments.map((shipment) => ({
        ...shipment,
        lines: shipment.lines.map((line) => ({ ...line })),
      })),
      jobs: orderJobs(summary.id),
      events: order.events.map((event) => ({ ...event })),
    };
  }

  // ---- The Orders list ------------------------------------------------------------------------

  /** What search looks in: number, customer, email, SKUs and tracking numbers. */
  function searchText(summary: OrderSummary): string {
    const cached = searchTexts.get(summary.id);
    if (cached !== undefined) return cached;
    const order = details.get(summary.id);
    const parts = order
      ? [
          order.customer_email ?? "",
          ...order.lines.map((line) => line.sku),
          ...order.shipments.map((shipment) => shipment.tracking_number),
        ]
      : [
          seedEmail(summary),
          ...seedLines(summary).map((line) => line.sku),
          ...(["partially_shipped", "shipped", "completed"].includes(summary.status)
            ? [seedTracking(summary)]
            : []),
        ];
    const text = [summary.number, summary.customer_name, ...parts].join(" ").toLowerCase();
    searchTexts.set(summary.id, text);
    return text;
  }

  /** `search_terms`: words of 3+ characters anywhere, shorter ones in the order number. */
  function searchFilter(search: string | undefined): ((order: OrderSummary) => boolean) | null {
    const words = (search ?? "")
      .split(/\s+/)
      .slice(0, SEARCH_WORDS)
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the backend drops control characters.
      .map((word) => word.replace(/[\u0000-\u001f\u007f]/g, "").toLowerCase())
      .filter((word) => word !== "");
    if (words.length === 0) return null;
    const indexed = words.filter((word) => [...word].length >= 3);
    const short = words.filter((word) => [...word].length < 3).map((w) => w.replace(/[%_]/g, ""));
    return (order) =>
      indexed.every((word) => searchText(order).includes(word)) &&
      short.every((word) => order.number.toLowerCase().includes(word));
  }

  function listOrders(query: ListOrders): OrderPage {
    if (query.limit < 1 || query.limit > MAX_LIST_LIMIT || query.offset < 0) {
      throw commandError("invalid_input", "limit: ask for 1 to 1000 orders at a time");
    }
    const from = query.placed_from ? Date.parse(query.placed_from) : null;
    const before = query.placed_before ? Date.parse(query.placed_before) : null;
    const channelId = query.channel_id ?? null;
    const search = searchFilter(query.search);
    const matching = orders.filter((order) => {
      if (channelId !== null && channelIds.get(order.id) !== channelId) return false;
      const placed = Date.parse(order.placed_at);
      if (from !== null && placed < from) return false;
      if (before !== null && placed >= before) return false;
      return search === null || search(order);
    });
    const perStatus = new Map<OrderStatus, number>();
    for (const order of matching) {
      perStatus.set(order.status, (perStatus.get(order.status) ?? 0) + 1);
    }
    const counts: StatusCount[] = STATUS_ORDER.flatMap((status) => {
      const count = perStatus.get(status) ?? 0;
      return count > 0 ? [{ status, count }] : [];
    });
    const listed = query.status ? matching.filter((o) => o.status === query.status) : matching;
    return {
      orders: listed.slice(query.offset, query.offset + query.limit).map((o) => ({ ...o })),
      total: listed.length,
      counts,
    };
  }

  // ---- Routing --------------------------------------------------------------------------------

  function isMapped(sku: string): boolean {
    return skuMap.has(sku);
  }

  /** `route_in_tx`: the supplier's rules, then the supplier order through the outbox. */
  function route(order: MockOrder): void {
    if (order.summary.status !== "imported") return;
    let problems = routingProblems(order.ship_to, order.lines, isMapped);
    if (order.weight_hold_released) problems = problems.filter((p) => p.rule !== "overweight");
    if (problems.length > 0) {
      const reason = problems.map(problemMessage).join(" ");
      needsAttention(order, "system", "routing", reason, problems);
      return;
    }
    enqueue("create_supplier_order", order);
    note(order, "system", ROUTED_NOTE);
  }

  function routeAgain(id: number): OrderDetail {
    const order = full(summaryOf(id).id);
    const status = order.summary.status;
    if (status !== "needs_attention") {
      throw commandError(
        "invalid_input",
        `order: order ${id} is ${words(status)}; only an order that needs attention is routed again`,
      );
    }
    if (order.supplier) {
      transition(order, "awaiting_authorization", "dealer", "resolved: back to authorization");
    } else {
      transition(order, "imported", "dealer", "resolved: routing again");
      route(order);
    }
    afterChange("resolved");
    return detailOf(order);
  }

  function editShipTo(id: number, input: ShipToInput): OrderDetail {
    const blankToNull = (value: string | null) => {
      const trimmed = value?.trim() ?? "";
      return trimmed === "" ? null : trimmed;
    };
    const address: Address = {
      name: input.name.trim(),
      line1: input.line1.trim(),
      line2: blankToNull(input.line2),
      city: input.city.trim(),
      state_code: input.state_code.trim().toUpperCase(),
      postal_code: input.postal_code.trim(),
      country_code: input.country_code.trim().toUpperCase(),
      phone: blankToNull(input.phone),
    };
    validateAddress(address);
    const order = full(summaryOf(id).id);
    const status = order.summary.status;
    if (status !== "imported" && status !== "needs_attention") {
      throw commandError(
        "invalid_input",
        "order: the address can only be edited before the order goes to US Direct",
      );
    }
    order.ship_to = address;
    searchTexts.delete(id);
    const line2 = address.line2 ? `, ${address.line2}` : "";
    note(
      order,
      "dealer",
      `ship-to edited: ${address.name}, ${address.line1}${line2}, ${address.city}, ${address.state_code} ${address.postal_code}, ${address.country_code}`,
    );
    if (status === "needs_attention") return routeAgain(id);
    afterChange("resolved");
    return detailOf(order);
  }

  function releaseWeightHold(id: number): OrderDetail {
    const summary = byId.get(id);
    if (summary?.status !== "needs_attention") {
      throw commandError("invalid_input", `order: order ${id} is not waiting on a hold`);
    }
    const order = full(id);
    order.weight_hold_released = true;
    note(order, "dealer", "weight hold released by the dealer");
    return routeAgain(id);
  }

  // ---- Authorize Order for Payment ------------------------------------------------------------

  function authorizeOne(id: number, actor: Actor): AuthorizeOutcome {
    const order = full(summaryOf(id).id);
    const { number, status } = order.summary;
    const outcome = (result: AuthorizeOutcome["result"], message: string): AuthorizeOutcome => ({
      order_id: id,
      number,
      result,
      message,
    });
    if (status === "needs_attention" && order.attention?.kind === "declined") {
      transition(
        order,
        "awaiting_authorization",
        actor,
        "resolved: payment to be authorized again",
      );
    } else if (status === "authorized" || status === "processing") {
      return outcome("already_authorized", `order ${number} is already authorized`);
    } else if (["partially_shipped", "shipped", "completed"].includes(status)) {
      return outcome("already_authorized", `order ${number} was authorized and has shipped`);
    } else if (status !== "awaiting_authorization") {
      return outcome(
        "not_allowed",
        `order ${number} is ${words(status)}; only an order awaiting authorization can be authorized`,
      );
    }
    if (!order.supplier?.invoice_id) {
      return outcome("not_allowed", `order ${number} has no US Direct invoice yet`);
    }
    const amount = moneyText(order.supplier.total_cost_minor, "USD");
    transition(
      order,
      "authorized",
      actor,
      actor === "auto_rule"
        ? `Auto Authorize: payment of ${amount} authorized`
        : `Authorize Order for Payment: ${amount}`,
    );
    order.authorized_at = new Date().toISOString();
    order.authorized_by = actor;
    enqueue("authorize_payment", order);
    return outcome("queued", `order ${number} authorized for payment`);
  }

  function authorizeOrders(ids: number[]): AuthorizeOutcome[] {
    const outcomes: AuthorizeOutcome[] = [];
    try {
      for (const id of ids) outcomes.push(authorizeOne(id, "dealer"));
    } finally {
      // Like the engine, each order is its own transaction: the ones before a failure stay.
      if (outcomes.length > 0) afterChange("authorized");
    }
    return outcomes;
  }

  // ---- Auto Authorize -------------------------------------------------------------------------

  function limitRefusal(total: number, spent: number): string | null {
    if (!rules.enabled) return "Auto Authorize is off";
    if (rules.max_total_minor !== null && total > rules.max_total_minor) {
      return `waiting for you: the invoice total ${moneyText(total, "USD")} is over the Auto Authorize maximum order total of ${moneyText(rules.max_total_minor, "USD")}`;
    }
    if (rules.daily_cap_minor !== null && spent + total > rules.daily_cap_minor) {
      return `waiting for you: authorizing ${moneyText(total, "USD")} would pass today's Auto Authorize cap of ${moneyText(rules.daily_cap_minor, "USD")} (${moneyText(spent, "USD")} used)`;
    }
    return null;
  }

  function spentToday(): number {
    const now = new Date();
    const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
    let spent = 0;
    for (const order of details.values()) {
      if (
        order.authorized_by === "auto_rule" &&
        order.authorized_at !== null &&
        Date.parse(order.authorized_at) >= midnight
      ) {
        spent += order.supplier?.total_cost_minor ?? 0;
      }
    }
    return spent;
  }

  function autoAuthorizeStatus(): AutoAuthorizeStatus {
    const spentTodayMinor = spentToday();
    const waiting = orders
      .filter((order) => order.status === "awaiting_authorization")
      .sort((a, b) => Date.parse(a.placed_at) - Date.parse(b.placed_at) || a.id - b.id);
    const within: number[] = [];
    let spent = spentTodayMinor;
    for (const summary of waiting) {
      const total = full(summary.id).supplier?.total_cost_minor ?? 0;
      if (limitRefusal(total, spent) === null) {
        within.push(summary.id);
        spent += total;
      }
    }
    return {
      rules: { ...rules },
      currency: "USD",
      spent_today_minor: spentTodayMinor,
      waiting: waiting.length,
      waiting_within_limits: within,
    };
  }

  function setAutoAuthorize(next: AutoAuthorize): AutoAuthorizeStatus {
    const limits: [string, number | null][] = [
      ["max_total", next.max_total_minor],
      ["daily_cap", next.daily_cap_minor],
    ];
    for (const [field, value] of limits) {
      if (value !== null && value <= 0) {
        throw commandError(
          "invalid_input",
          `${field}: must be more than $0.00; leave it empty for no limit`,
        );
      }
    }
    rules = {
      enabled: Boolean(next.enabled),
      max_total_minor: next.max_total_minor,
      daily_cap_minor: next.daily_cap_minor,
    };
    return autoAuthorizeStatus();
  }

  /** Right after an order reaches `awaiting_authorization`: the rules authorize it, or say why not. */
  function applyAutoAuthorize(order: MockOrder): void {
    if (!rules.enabled) return;
    const refusal = limitRefusal(order.supplier?.total_cost_minor ?? 0, spentToday());
    if (refusal === null) authorizeOne(order.summary.id, "auto_rule");
    else note(order, "auto_rule", refusal);
  }

  // ---- SKU map --------------------------------------------------------------------------------

  function cleanSku(field: string, sku: string): string {
    const trimmed = sku.trim();
    if (trimmed === "") throw commandError("invalid_input", `${field}: is empty; type the SKU`);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the backend refuses control characters.
    if ([...trimmed].length > 64 || /[\s\u0000-\u001f\u007f]/.test(trimmed)) {
      throw commandError(
        "invalid_input",
        `${field}: ${JSON.stringify(trimmed)} is not a SKU: use up to 64 characters, without spaces`,
      );
    }
    return trimmed;
  }

  function listSkuMap(): SkuMapping[] {
    return [...skuMap.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([store_sku, mapping]) => ({ store_sku, ...mapping }));
  }

  function setSkuMapping(storeSku: string, supplierSku: string): SkuMapping {
    const store = cleanSku("store_sku", storeSku);
    const supplier = cleanSku("supplier_sku", supplierSku);
    const mapping = { supplier_sku: supplier, updated_at: new Date().toISOString() };
    skuMap.set(store, mapping);
    return { store_sku: store, ...mapping };
  }

  function removeSkuMapping(storeSku: string): null {
    if (!skuMap.delete(storeSku)) {
      throw commandError("not_found", `a mapping for SKU ${storeSku} was not found`);
    }
    return null;
  }

  /** SKUs that orders needing attention wait on, most orders first. */
  function unmappedSkus(): string[] {
    const waiting = new Map<string, number>();
    for (const summary of orders) {
      if (summary.status !== "needs_attention") continue;
      const order = full(summary.id);
      if (order.attention?.kind !== "routing") continue;
      for (const line of order.lines) {
        if (!skuMap.has(line.sku)) waiting.set(line.sku, (waiting.get(line.sku) ?? 0) + 1);
      }
    }
    return [...waiting.entries()]
      .sort(([a, n], [b, m]) => m - n || (a < b ? -1 : a > b ? 1 : 0))
      .map(([sku]) => sku);
  }

  // ---- Jobs and the outbox --------------------------------------------------------------------

  /** An order's jobs, oldest first (seeded on first use). */
  function jobsOf(orderId: number): Job[] {
    let list = jobsByOrder.get(orderId);
    if (!list) {
      const summary = summaryOf(orderId);
      const rank = rankOf.get(orderId);
      list =
        rank === undefined
          ? []
          : seedJobs(summary).map((seed, slot) => ({ id: rank * JOB_SLOTS + slot + 1, ...seed }));
      jobsByOrder.set(orderId, list);
    }
    return list;
  }

  /** The jobs as `get_order` shows them: newest first, at most 100. */
  function orderJobs(orderId: number): Job[] {
    return [...jobsOf(orderId)]
      .sort((a, b) => b.id - a.id)
      .slice(0, 100)
      .map((job) => ({ ...job }));
  }

  function enqueue(kind: JobKind, order: MockOrder, givenKey?: string): void {
    const now = new Date().toISOString();
    const id = order.summary.id;
    const list = jobsOf(id);
    const tries = list.filter((job) => job.kind === kind).length;
    const key =
      givenKey ??
      (kind === "cancel_supplier_order"
        ? `cancel:${order.supplier?.order_id ?? id}`
        : idempotencyKey(kind, id, tries + 1));
    const job: Job = {
      id: nextJobId++,
      kind,
      order_id: id,
      order_number: order.summary.number,
      idempotency_key: key,
      state: "pending",
      attempts: 0,
      next_run_at: now,
      last_error: null,
      created_at: now,
      updated_at: now,
      finished_at: null,
    };
    list.push(job);
    madeJobs.push(job);
  }

  function jobById(id: number): Job {
    const job =
      id <= seededIdLimit ? findSeededJob(id) : madeJobs.find((candidate) => candidate.id === id);
    if (!job) throw commandError("not_found", `job ${id} was not found`);
    return job;
  }

  function findSeededJob(id: number): Job | undefined {
    const order = seededById[Math.floor((id - 1) / JOB_SLOTS)];
    return order ? jobsOf(order.id).find((job) => job.id === id) : undefined;
  }

  /** The newest jobs: every job made since start-up, then seeded ones from the newest orders. */
  function listJobs(limit: number): Job[] {
    const count = Math.min(Math.max(Math.trunc(limit), 1), 1000);
    const found = [...madeJobs];
    let seeded = 0;
    for (let rank = seededById.length - 1; rank >= 0 && seeded < count; rank--) {
      const order = seededById[rank];
      if (!order) continue;
      for (const job of jobsOf(order.id)) {
        if (job.id > seededIdLimit) continue;
        found.push(job);
        seeded += 1;
      }
    }
    return found
      .sort((a, b) => b.id - a.id)
      .slice(0, count)
      .map((job) => ({ ...job }));
  }

  function retryJob(id: number): Job {
    const job = jobById(id);
    if (job.state === "running") throw commandError("invalid_input", "job: the job is running now");
    if (job.state !== "pending" && job.state !== "failed") {
      throw commandError(
        "invalid_input",
        `job: the job has ${job.state}; there is nothing to retry`,
      );
    }
    if (job.state === "failed" && job.order_id !== null) {
      const order = full(job.order_id);
      const backTo: OrderStatus | null =
        job.kind === "create_supplier_order"
          ? "imported"
          : job.kind === "authorize_payment"
            ? "awaiting_authorization"
            : null;
      if (backTo && order.summary.status === "needs_attention") {
        transition(order, backTo, "dealer", "job retried");
        if (backTo === "awaiting_authorization") {
          transition(order, "authorized", "dealer", "Authorize Order for Payment (retry)");
        }
      }
    }
    const now = new Date().toISOString();
    Object.assign(job, { state: "pending", next_run_at: now, updated_at: now, finished_at: null });
    afterChange("job_retried");
    return { ...job };
  }

  function cancelJob(id: number): Job {
    const job = jobById(id);
    if (job.state === "running") {
      throw commandError(
        "invalid_input",
        "job: the job is talking to US Direct right now; cancel it when it is back",
      );
    }
    if (job.state !== "pending" && job.state !== "failed") {
      throw commandError("invalid_input", `job: the job has ${job.state} already`);
    }
    const now = new Date().toISOString();
    Object.assign(job, { state: "cancelled", updated_at: now, finished_at: now });
    if (job.order_id !== null) {
      const order = full(job.order_id);
      const what = {
        create_supplier_order: "Sending the order to US Direct",
        authorize_payment: "The payment authorization",
        cancel_supplier_order: "Cancelling at US Direct",
        push_tracking: "Writing the tracking to your store",
      }[job.kind];
      const parked = ["imported", "authorized"].includes(order.summary.status);
      const stops = job.kind === "create_supplier_order" || job.kind === "authorize_payment";
      if (parked && stops) {
        needsAttention(
          order,
          "dealer",
          "stopped",
          `${what} was cancelled by you. Resolve to send it again, or cancel the order in your store.`,
        );
        if (job.kind === "authorize_payment") {
          order.authorized_at = null;
          order.authorized_by = null;
        }
      } else {
        note(order, "dealer", `${what} was cancelled by you`);
      }
    }
    context.changed("job_cancelled");
    return { ...job };
  }

  /** The oldest waiting job; every such job has been seeded or made already. */
  function pendingJob(): Job | undefined {
    let oldest: Job | undefined;
    for (const list of jobsByOrder.values()) {
      for (const job of list) {
        if (job.state === "pending" && (!oldest || job.id < oldest.id)) oldest = job;
      }
    }
    return oldest;
  }

  /** One pass of the outbox worker against the sandbox US Direct: every pending job, in order. */
  function runOutbox(): { succeeded: number; retrying: number; failed: number } {
    let succeeded = 0;
    for (;;) {
      const job = pendingJob();
      if (!job) break;
      const now = new Date().toISOString();
      Object.assign(job, { attempts: job.attempts + 1, updated_at: now });
      if (job.order_id !== null) runJob(job, full(job.order_id));
      Object.assign(job, { state: "succeeded", finished_at: now, last_error: null });
      succeeded += 1;
    }
    if (succeeded > 0) context.changed("outbox");
    return { succeeded, retrying: 0, failed: 0 };
  }

  function runJob(job: Job, order: MockOrder): void {
    const { status } = order.summary;
    if (job.kind === "create_supplier_order") {
      const product = Math.round(order.subtotal_minor * 0.62);
      const invoice: SupplierInvoiceView = {
        order_id: `USD-SO-${500_000 + order.summary.id}`,
        invoice_id: `INV-${700_000 + order.summary.id}`,
        currency: "USD",
        product_cost_minor: product,
        shipping_cost_minor: SUPPLIER_SHIPPING_MINOR,
        total_cost_minor: product + SUPPLIER_SHIPPING_MINOR,
        payment_status: "not_authorized",
      };
      order.supplier = invoice;
      const detail = `placed with US Direct as ${invoice.order_id}; invoice ${invoice.invoice_id} for ${moneyText(invoice.total_cost_minor, "USD")} (items ${moneyText(product, "USD")}, shipping ${moneyText(SUPPLIER_SHIPPING_MINOR, "USD")})`;
      if (status === "imported") {
        transition(order, "awaiting_authorization", "supplier", detail);
        applyAutoAuthorize(order);
      } else {
        note(order, "supplier", detail);
        if (status === "cancelled") enqueue("cancel_supplier_order", order);
      }
    } else if (job.kind === "authorize_payment") {
      const invoice = order.supplier;
      if (!invoice) return;
      if (declines.has(order.summary.id)) {
        invoice.payment_status = "declined";
        order.authorized_at = null;
        order.authorized_by = null;
        const message =
          "US Direct declined the payment: the card on file was declined. Fix the payment method with US Direct, then Authorize again.";
        if (status === "authorized") needsAttention(order, "supplier", "declined", message);
        else note(order, "supplier", message);
        return;
      }
      invoice.payment_status = "authorized";
      const detail = `US Direct authorized payment of invoice ${invoice.invoice_id}; it will ship the order`;
      if (status === "authorized") {
        transition(order, "processing", "supplier", detail);
        if (shipsInSandbox(order.summary.id)) shipLater(order);
      } else {
        note(order, "supplier", detail);
      }
    } else if (job.kind === "push_tracking") {
      pushTracking(job, order);
    } else {
      note(order, "supplier", `US Direct cancelled its order ${order.supplier?.order_id ?? ""}`);
    }
  }

  // ---- Shipments ------------------------------------------------------------------------------

  /** The sandbox US Direct ships the test orders (and only those: seeded orders stay put). */
  function shipsInSandbox(id: number): boolean {
    return placedInSandbox.has(id) || id === testOrderId();
  }

  function shipLater(order: MockOrder): void {
    const delay = options.sandboxShipDelayMs;
    if (delay === undefined) {
      ship(order);
      return;
    }
    setTimeout(() => {
      if (ship(order)) afterChange("shipments");
    }, delay);
  }

  /**
   * `shipments::record`: a new tracking number from US Direct (valid, so it goes to the store
   * through the outbox), and the order shipped. False when the order moved on meanwhile.
   */
  function ship(order: MockOrder): boolean {
    if (order.summary.status !== "processing") return false;
    const id = order.summary.id;
    const number = upsTrackingNumber(id);
    order.shipments.push({
      tracking_number: number,
      carrier: "UPS",
      tracking_url: `https://www.ups.com/track?tracknum=${number}`,
      shipped_at: new Date().toISOString(),
      pushed_at: null,
      lines: order.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
    });
    if (order.supplier) order.supplier.payment_status = "paid";
    transition(order, "shipped", "supplier", `US Direct shipped it: UPS ${number}`);
    enqueue("push_tracking", order, `push:${id}:${number}`);
    return true;
  }

  /** `shipments::push`: the store confirmed the tracking; every shipment in it completes the order. */
  function pushTracking(job: Job, order: MockOrder): void {
    const id = order.summary.id;
    const shipment = order.shipments.find(
      (candidate) => job.idempotency_key === `push:${id}:${candidate.tracking_number}`,
    );
    if (!shipment) return;
    shipment.pushed_at = new Date().toISOString();
    const detail = `tracking ${shipment.tracking_number} written to ${order.summary.channel}`;
    const unconfirmed = order.shipments.some((candidate) => candidate.pushed_at === null);
    if (order.summary.status === "shipped" && !unconfirmed) {
      transition(order, "completed", "system", `${detail}; every shipment is in the store`);
    } else {
      note(order, "system", detail);
    }
  }

  // ---- Onboarding -----------------------------------------------------------------------------

  /** The test order: the one the dealer marked, or else the first order imported. */
  function testOrderId(): number | null {
    if (markedTestOrder !== null && byId.has(markedTestOrder)) return markedTestOrder;
    // The marked order is gone: fall back to the first one, as the engine does.
    markedTestOrder = null;
    let first: number | null = null;
    for (const order of orders) if (first === null || order.id < first) first = order.id;
    return first;
  }

  function check(step: OnboardingStep, doneAt: string | null, hint: string): OnboardingCheck {
    return { step, done_at: doneAt, hint: doneAt === null && hint !== "" ? hint : null };
  }

  /** `Engine::onboarding`: each check ticked from the test order's own events and shipments. */
  function onboarding(): Onboarding {
    const id = testOrderId();
    if (id === null) {
      return {
        test_order: null,
        checks: [
          check("imported", null, NO_TEST_ORDER_HINT),
          check("routed_and_authorized", null, "Waiting for the test order."),
          check("tracking_synced", null, "Waiting for the test order."),
        ],
        complete: false,
      };
    }
    const order = full(id);
    const importedAt = order.events[0]?.at ?? null;
    const authorizedAt =
      order.events.find((event) => event.from === "authorized" && event.to === "processing")?.at ??
      null;
    const pushed = order.shipments.map((shipment) => shipment.pushed_at);
    const syncedAt =
      pushed.length === 0 || pushed.some((at) => at === null)
        ? null
        : (pushed as string[]).reduce((latest, at) =>
            Date.parse(at) > Date.parse(latest) ? at : latest,
          );
    const checks = [
      check("imported", importedAt, ""),
      check("routed_and_authorized", authorizedAt, ROUTED_HINTS[order.summary.status] ?? ""),
      check(
        "tracking_synced",
        syncedAt,
        order.shipments.length === 0 ? NO_TRACKING_HINT : TRACKING_ARRIVED_HINT,
      ),
    ];
    return {
      test_order: {
        id,
        number: order.summary.number,
        status: order.summary.status,
        marked: markedTestOrder === id,
      },
      checks,
      complete: checks.every((item) => item.done_at !== null),
    };
  }

  function markTestOrder(id: number): Onboarding {
    summaryOf(id);
    markedTestOrder = id;
    return onboarding();
  }

  /** An order the dealer placed in the sandbox store from the app: US Direct ships it. */
  function placedInSandboxStore(id: number): void {
    placedInSandbox.add(id);
  }

  /** Tells the window, and wakes the outbox the way the app's commands kick its worker. */
  function afterChange(reason: string): void {
    context.changed(reason);
    wakeOutbox();
  }

  function wakeOutbox(): void {
    const delay = options.outboxDelayMs;
    if (delay === undefined || outboxTimer !== null) return;
    outboxTimer = setTimeout(() => {
      outboxTimer = null;
      runOutbox();
    }, delay);
  }

  return {
    importOrder,
    /** After Order Sync imported orders: their supplier orders are on their way. */
    wakeOutbox,
    listOrders,
    getOrder: (id: number) => detailOf(full(summaryOf(id).id)),
    authorizeOrders,
    editShipTo,
    releaseWeightHold,
    routeAgain,
    listSkuMap,
    unmappedSkus,
    setSkuMapping,
    removeSkuMapping,
    autoAuthorizeStatus,
    setAutoAuthorize,
    listJobs,
    retryJob,
    cancelJob,
    runOutbox,
    onboarding,
    markTestOrder,
    placedInSandboxStore,
  };
}

const NO_TEST_ORDER_HINT =
  "Place a test order in your store (in the Sandbox: Place a test order), then press Order Sync. If it does not appear, check the store's connection in Settings.";

/** What step 2 waits for, by the test order's status (`Engine::onboarding`). */
const ROUTED_HINTS: Partial<Record<OrderStatus, string>> = {
  imported:
    "Being sent to US Direct; this takes a few seconds (see Activity → Jobs if it does not move).",
  awaiting_authorization:
    "Awaiting authorization: open the order and press Authorize Order for Payment.",
  authorized: "Authorized; waiting for US Direct to confirm the payment.",
  needs_attention: "The order needs attention: open it to see why and Resolve it.",
  cancelled: "The test order was cancelled: place another one.",
};

const NO_TRACKING_HINT =
  "No tracking yet: US Direct ships 2–4 business days after payment (the Sandbox ships in about 20 seconds; press Order Sync to check).";

const TRACKING_ARRIVED_HINT =
  "Tracking arrived; it is being written to your store (see Activity → Jobs if it does not move).";

/** "awaiting_authorization" → "awaiting authorization", as the engine's messages write it. */
function words(status: OrderStatus): string {
  return status.replace(/_/g, " ");
}

/** `Address::validate`. */
function validateAddress(address: Address): void {
  const required: [string, string][] = [
    ["name", address.name],
    ["line1", address.line1],
    ["city", address.city],
    ["state_code", address.state_code],
    ["postal_code", address.postal_code],
  ];
  for (const [field, value] of required) {
    if (value.trim() === "") {
      throw commandError("invalid_input", `address.${field}: is empty; edit the address`);
    }
  }
  if (!/^[A-Z]{2}$/.test(address.country_code)) {
    throw commandError(
      "invalid_input",
      `address.country_code: ${JSON.stringify(address.country_code)} is not a two-letter country code such as US`,
    );
  }
}
