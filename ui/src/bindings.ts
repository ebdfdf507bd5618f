// Generated from Rust by src-tauri/src/bindings.rs: do not edit.
// Regenerate with `UPDATE_BINDINGS=1 cargo test -p dealer-portal bindings`.

export type OrderStatus = "imported" | "awaiting_authorization" | "authorized" | "processing" | "partially_shipped" | "shipped" | "completed" | "needs_attention" | "cancelled" | "not_for_us_direct";

export type Actor = "dealer" | "auto_rule" | "scheduler" | "system" | "supplier";

export type Mode = "sandbox" | "live";

export type Environment = "sandbox" | "live";

export type KeySource = "keyring" | "passphrase";

export type ErrorCode = "keyring_unavailable" | "passphrase_required" | "wrong_key" | "key_missing" | "store_locked" | "invalid_transition" | "not_found" | "invalid_input" | "storage" | "already_running" | "channel" | "internal";

export type CommandError = { code: ErrorCode, message: string, };

export type OrderSummary = { id: number, 
/**
 * Name of the sales channel the order came from.
 */
channel: string, number: string, status: OrderStatus, customer_name: string, total_minor: number, currency: string, placed_at: string, 
/**
 * Sandbox (a rehearsal) or Live, for good.
 */
environment: Environment, };

export type ListOrders = { 
/**
 * Only orders in this status.
 */
status: OrderStatus | null, 
/**
 * Only orders of this sales channel.
 */
channel_id?: number | null, 
/**
 * Only Sandbox or only Live orders.
 */
environment?: Environment, 
/**
 * Only orders placed at or after this time.
 */
placed_from?: string, 
/**
 * Only orders placed before this time.
 */
placed_before?: string, 
/**
 * Words to find in the order number, customer name, email, SKUs or tracking numbers.
 */
search?: string, 
/**
 * Only Late, Stuck, or every order that needs the dealer.
 */
flag?: OrderFlag, 
/**
 * At most this many (1–1000).
 */
limit: number, offset: number, };

export type ActivityEntry = { "kind": "order_event", at: string, order_id: number, order_number: string, from: OrderStatus | null, to: OrderStatus, actor: Actor, detail: string, } | { "kind": "sync_run", at: string, trigger: string, 
/**
 * The channel imported from; none when no channel was connected.
 */
channel: string | null, finished_at: string | null, imported: number, updated: number, quarantined: number, error: string | null, } | { "kind": "quarantined", at: string, channel: string, channel_order_id: string | null, reason: string, excerpt: string, times_seen: number, } | { "kind": "incident", at: string, source: string, detail: string, };

export type AppStatus = { "state": "ready", mode: Mode, key_source: KeySource, data_dir: string, sync_paused: boolean, plan: Plan, version: string, 
/**
 * The live test order passed its three checks: the window opens on Orders, not on
 * the onboarding guide.
 */
onboarding_complete: boolean, } | { "state": "locked", data_dir: string, code: ErrorCode, message: string, 
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
store_name: string, 
/**
 * The API version the store answered with, where the platform names one (Shopify's
 * `X-Shopify-API-Version`): the client's own, or the one Shopify served instead once the
 * client's was retired.
 */
api_version: string | null, };

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

export type OrderPage = { orders: Array<OrderSummary>, 
/**
 * Orders matching every filter (the list's full length).
 */
total: number, 
/**
 * Orders per status under the same filters, status aside.
 */
counts: Array<StatusCount>, 
/**
 * Orders per flag under the same filters, status and flag aside.
 */
flags: FlagCounts, };

export type StatusCount = { status: OrderStatus, count: number, };

export type OrderDetail = { id: number, channel_id: number, channel: string, 
/**
 * Sandbox (a rehearsal, with the sandbox US Direct) or Live, for good.
 */
environment: Environment, channel_order_id: string, number: string, status: OrderStatus, customer_name: string, customer_email: string | null, ship_to: Address, lines: Array<OrderLineView>, currency: string, subtotal_minor: number, shipping_minor: number, tax_minor: number, total_minor: number, supplier: SupplierInvoiceView | null, 
/**
 * Subtotal plus shipping charged, less US Direct's invoice (tax passes through), when both
 * are in one currency.
 */
margin_minor: number | null, attention: Attention | null, weight_hold_released: boolean, 
/**
 * The dealer released a PO box hold as is (a street that only looks like one).
 */
po_box_hold_released: boolean, 
/**
 * Whether the store has been paid for the order, as it said at the last sync.
 */
store_payment: StorePayment, 
/**
 * The dealer released the order to US Direct whatever the store's payment.
 */
payment_hold_released: boolean, authorized_at: string | null, authorized_by: Actor | null, placed_at: string, 
/**
 * Authorize Order for Payment applies now.
 */
can_authorize: boolean, 
/**
 * Why Cancel order does not apply now (shipped, or cancelled already); `None` when it does.
 */
cancel_blocked: string | null, 
/**
 * Why the order is Late or Stuck, if it is: one line each, with what to do.
 */
flags: Array<FlagNote>, shipments: Array<ShipmentView>, jobs: Array<Job>, 
/**
 * The timeline, oldest first.
 */
events: Array<OrderEvent>, };

export type OrderEvent = { id: number, order_id: number, at: string, from: OrderStatus | null, to: OrderStatus, actor: Actor, detail: string, };

export type OrderLineView = { sku: string, title: string, quantity: number, unit_price_minor: number, unit_weight_grams: number, 
/**
 * The US Direct item it maps to, if mapped.
 */
supplier_sku: string | null, 
/**
 * Where it goes: decided when the order was routed (by the SKU map of now before that).
 */
destination: LineDestination, };

export type LineDestination = "us_direct" | "other_supplier" | "no_sku" | "not_shipped";

export type SupplierInvoiceView = { order_id: string, invoice_id: string | null, currency: string, product_cost_minor: number, shipping_cost_minor: number, total_cost_minor: number, payment_status: PaymentStatus | null, };

export type ShipmentView = { tracking_number: string, carrier: string, tracking_url: string | null, shipped_at: string, 
/**
 * When the store confirmed it; `None` while it is being written back.
 */
pushed_at: string | null, lines: Array<ShipmentLineView>, };

export type ShipmentLineView = { sku: string, quantity: number, };

export type Attention = { kind: AttentionKind, 
/**
 * What the dealer reads, with what to do.
 */
reason: string, 
/**
 * The failed routing rules (routing problems only).
 */
problems: Array<RoutingProblem>, };

export type AttentionKind = "routing" | "refused" | "declined" | "stopped" | "unpaid" | "fraud_risk" | "out_of_stock";

export type SkuMapping = { store_sku: string, supplier_sku: string, updated_at: string, };

export type SeenSku = { store_sku: string, 
/**
 * Orders with a line of it.
 */
orders: number, 
/**
 * Lines holding it.
 */
lines: number, 
/**
 * Orders in `needs_attention` because it has no mapping.
 */
waiting_orders: number, 
/**
 * US Direct's last answer about the same SKU, when it was asked (a match).
 */
us_direct: SeenAnswer | null, };

export type SeenAnswer = { carried: boolean, 
/**
 * US Direct's title for it, when carried.
 */
title: string | null, checked_at: string, };

export type MatchReport = { lookups: Array<ItemLookup>, 
/**
 * SKUs US Direct carries under the same SKU: ready to confirm.
 */
carried: number, not_carried: number, 
/**
 * Not answered (US Direct unreachable, or the match stopped): run the match again.
 */
unanswered: number, };

export type ItemLookup = { sku: string, 
/**
 * Answered from the item cache, without asking US Direct.
 */
cached: boolean, } & ({ "state": "carried", item: SupplierItem, checked_at: string, } | { "state": "not_carried", checked_at: string, } | { "state": "failed", message: string, } | { "state": "not_asked", message: string, });

export type ItemAnswer = { "state": "carried", item: SupplierItem, checked_at: string, } | { "state": "not_carried", checked_at: string, } | { "state": "failed", message: string, } | { "state": "not_asked", message: string, };

export type LookupProgress = { 
/**
 * SKUs answered so far (from the cache or from US Direct).
 */
done: number, total: number, 
/**
 * Requests sent to US Direct so far.
 */
asked: number, };

export type CsvImport = { 
/**
 * Rows mapped.
 */
mapped: number, 
/**
 * Orders that waited on one of the imported SKUs and were routed again.
 */
routed_again: number, };

export type SupplierItem = { sku: string, title: string, weight_grams: number, available: number, };

export type Address = { name: string, line1: string, line2: string | null, city: string, 
/**
 * State or province code (`CA`, `NY`).
 */
state_code: string, postal_code: string, 
/**
 * ISO 3166-1 alpha-2 country code (`US`).
 */
country_code: string, phone: string | null, };

export type StorePayment = { "state": "paid" } | { "state": "unpaid", status: string, } | { "state": "high_risk", detail: string, };

export type RoutingProblem = { "rule": "outside_lower48", state_code: string, country_code: string, } | { "rule": "military_address" } | { "rule": "po_box" } | { "rule": "overweight", grams: number, } | { "rule": "unmapped_sku", sku: string, } | { "rule": "missing_address_field", field: string, } | { "rule": "missing_phone" };

export type PaymentStatus = "not_authorized" | "authorized" | "paid" | "declined";

export type Job = { id: number, kind: JobKind, order_id: number | null, order_number: string | null, idempotency_key: string, state: JobState, attempts: number, next_run_at: string, last_error: string | null, created_at: string, updated_at: string, finished_at: string | null, 
/**
 * Sandbox or Live, its order's, for good.
 */
environment: Environment, };

export type JobKind = "create_supplier_order" | "authorize_payment" | "cancel_supplier_order" | "push_tracking" | "cancel_store_order";

export type JobState = "pending" | "running" | "succeeded" | "failed" | "cancelled";

export type AuthorizeOutcome = { order_id: number, number: string, result: AuthorizeResult, 
/**
 * For the dealer: what happened, or why not.
 */
message: string, };

export type AuthorizeResult = "queued" | "already_authorized" | "not_allowed";

export type AutoAuthorize = { enabled: boolean, 
/**
 * "Only Auto Authorize Up to a Maximum Order Total".
 */
max_total_minor: number | null, 
/**
 * Auto Authorize stops for the day once its authorizations reach this much.
 */
daily_cap_minor: number | null, };

export type SupplierConnection = { 
/**
 * The API base URL, when US Direct is connected.
 */
url: string | null, 
/**
 * A token is saved in the keyring.
 */
has_token: boolean, 
/**
 * When US Direct last accepted the saved token (RFC 3339), if it was checked.
 */
last_checked_at: string | null, 
/**
 * Why the last check failed, when it did.
 */
last_error: string | null, 
/**
 * Supplier jobs (send, authorize, cancel) of live orders waiting to go out.
 */
waiting_live_jobs: number, 
/**
 * The live orders those jobs belong to.
 */
waiting_live_orders: number, 
/**
 * Their ids, so an order's page can tell whether it is one of them.
 */
waiting_live_order_ids: Array<number>, 
/**
 * Why those jobs cannot go, when the account is the reason ("your US Direct account is not
 * connected"); `None` when they wait for nothing the dealer must do here.
 */
blocked_reason: string | null, };

export type AutoAuthorizeStatus = { rules: AutoAuthorize, currency: string, 
/**
 * The environment these figures are of: Live once a real store is connected.
 */
environment: Environment, 
/**
 * Authorized by the rules since local midnight.
 */
spent_today_minor: number, 
/**
 * Orders waiting for authorization now.
 */
waiting: number, 
/**
 * Of those, the ones the rules would authorize now (ids, oldest first).
 */
waiting_within_limits: Array<number>, };

export type ShipToInput = { name: string, line1: string, line2: string | null, city: string, state_code: string, postal_code: string, country_code: string, phone: string | null, };

export type Onboarding = { 
/**
 * Every step of the guide, in order.
 */
steps: Array<GuideStepState>, 
/**
 * The first step selling still waits for: what the guide asks for now.
 */
next: GuideStep | null, 
/**
 * The Sandbox rehearsal's test order (a sandbox-store order) and its checks.
 */
sandbox_rehearsal: TestOrderChecks, 
/**
 * The live test order (from a real store) and its checks.
 */
live: TestOrderChecks, 
/**
 * The live test order passed all three checks: the dealer can start selling.
 */
complete: boolean, };

export type OnboardingCheck = { step: OnboardingStep, done_at: string | null, 
/**
 * While not done: what to do, or what to wait for.
 */
hint: string | null, };

export type OnboardingStep = "imported" | "routed_and_authorized" | "tracking_synced";

export type TestOrderRef = { id: number, number: string, status: OrderStatus, 
/**
 * The dealer chose it (rather than the first order).
 */
marked: boolean, };

export type TestOrderChecks = { 
/**
 * The order the dealer marked for this environment, else its first imported order.
 */
test_order: TestOrderRef | null, checks: Array<OnboardingCheck>, 
/**
 * All three checks are ticked.
 */
complete: boolean, };

export type GuideStep = "rehearse_in_sandbox" | "connect_store" | "connect_supplier" | "place_live_test_order" | "live_checks";

export type GuideStepState = { step: GuideStep, done: boolean, 
/**
 * Offered, but selling does not wait for it.
 */
optional: boolean, 
/**
 * While not done: what to do, or what to wait for.
 */
hint: string | null, };

export type PlacedTestOrder = { number: string, };

export type OpenOrder = { order_id: number, };

export type NeedsYou = { count: number, };

export type OpenOrders = { flag: OrderFlag, };

export type TrayStatus = { tooltip: string, needs_attention_item: string, };

export type OrderCount = { count: number, };

export type OrderFlag = "late" | "stuck" | "needs_you";

export type FlagCounts = { late: number, stuck: number, 
/**
 * Each order once, whether it needs attention, is Late or is Stuck.
 */
needs_you: number, };

export type FlagNote = { flag: OrderFlag, 
/**
 * Since when: the authorization (Late) or the job's first failure (Stuck).
 */
since: string, 
/**
 * The stuck job, for Retry and Cancel.
 */
job_id: number | null, 
/**
 * The line the page shows: what is wrong and what to do.
 */
message: string, };

export type ProblemNotifications = { declined: boolean, refused: boolean, invalid_tracking: boolean, late: boolean, };

export type OpenActivity = Record<string, never>;

export type Bucket = "day" | "week" | "month";

export type DashboardQuery = { environment: Environment, from: string, to: string, bucket: Bucket, };

export type DashboardChannel = { id: number, name: string, };

export type DayCount = { day: string, channel_id: number, orders: number, };

export type Milestone = "authorized" | "tracking" | "completed";

export type LeadTime = { week: string, milestone: Milestone, 
/**
 * Orders of that week that reached the milestone.
 */
orders: number, median_seconds: number, p90_seconds: number, };

export type MoneyBucket = { start: string, currency: string, orders: number, revenue_minor: number, 
/**
 * Of `orders`, those US Direct has invoiced in this currency: the orders `cost_minor` and
 * `margin_minor` are summed over (the margin as the order page shows it).
 */
invoiced_orders: number, cost_minor: number, margin_minor: number, };

export type DaySpend = { day: string, spent_minor: number, };

export type AutoAuthorizeSpend = { enabled: boolean, currency: string, daily_cap_minor: number | null, days: Array<DaySpend>, };

export type NeedsYouCounts = { needs_attention: number, late: number, stuck: number, 
/**
 * Each order once, whether it needs attention, is Late or is Stuck: the "Needs you" chip
 * and the sidebar's count.
 */
needs_you: number, };

export type Dashboard = { environment: Environment, from: string, to: string, bucket: Bucket, computed_at: string, channels: Array<DashboardChannel>, 
/**
 * Days with no orders are left out.
 */
orders_per_day: Array<DayCount>, 
/**
 * How many orders are in each status now, whatever the period.
 */
funnel: Array<StatusCount>, lead_times: Array<LeadTime>, money: Array<MoneyBucket>, auto_authorize: AutoAuthorizeSpend, needs_you: NeedsYouCounts, };

export type AdjustmentKind = "shipping_surcharge" | "shipping_credit";

export type StatementAdjustment = { kind: AdjustmentKind, description: string, 
/**
 * Positive for a surcharge, negative for a credit, in the invoice's currency.
 */
amount_minor: number, };

export type StatementInvoice = { 
/**
 * The dealer's order, for a link to its page.
 */
order_id: number, order_number: string, invoice_id: string, currency: string, items_minor: number, shipping_minor: number, 
/**
 * Items plus shipping: the invoice before its adjustments.
 */
total_minor: number, status: PaymentStatus, 
/**
 * What puts the invoice in the month: its authorization, or its decline.
 */
dated_at: string, authorized_at: string | null, paid_at: string | null, declined_at: string | null, 
/**
 * A shipping surcharge or credit, when US Direct reported one.
 */
adjustments: Array<StatementAdjustment>, };

export type StatementSums = { invoices: number, items_minor: number, shipping_minor: number, adjustments_minor: number, 
/**
 * Items, shipping and adjustments: the sum of every line.
 */
total_minor: number, };

export type StatementTotals = { currency: string, 
/**
 * Authorized, paid and declined.
 */
all: StatementSums, 
/**
 * Authorized and paid: what US Direct charged the card.
 */
charged: StatementSums, };

export type Statement = { 
/**
 * Whose invoices: the live US Direct account's, or the sandbox's before a real store.
 */
environment: Environment, from: string, to: string, 
/**
 * The month's invoices by date, at most [`STATEMENT_CAP`].
 */
invoices: Array<StatementInvoice>, 
/**
 * Every invoice of the month: more than `invoices` holds when the month passed the cap.
 */
invoice_count: number, 
/**
 * The most invoices listed; the totals cover them all.
 */
cap: number, 
/**
 * Per currency, summing every invoice of the month (those past the cap too).
 */
totals: Array<StatementTotals>, };

export type SavedExport = { 
/**
 * Data rows written (orders, invoices, shipments or mappings), header and totals aside.
 */
rows: number, 
/**
 * The file, as the dealer chose it.
 */
path: string, };

/** Sends one command to the backend; the Tauri transport wraps `invoke`, tests pass a mock. */
export type Invoke = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;

export function makeCommands(invoke: Invoke) {
  return {
    appStatus: () => invoke<AppStatus>("app_status", {}),
    unlock: (passphrase: string) => invoke<AppStatus>("unlock", { passphrase }),
    listOrders: (query: ListOrders) => invoke<OrderPage>("list_orders", { query }),
    dashboard: (query: DashboardQuery) => invoke<Dashboard>("dashboard", { query }),
    statement: (year: number, month: number) => invoke<Statement>("statement", { year, month }),
    getOrder: (id: number) => invoke<OrderDetail>("get_order", { id }),
    authorizeOrders: (ids: Array<number>) => invoke<Array<AuthorizeOutcome>>("authorize_orders", { ids }),
    cancelOrder: (id: number, reason: string) => invoke<OrderDetail>("cancel_order", { id, reason }),
    editShipTo: (id: number, shipTo: ShipToInput) => invoke<OrderDetail>("edit_ship_to", { id, shipTo }),
    releaseWeightHold: (id: number) => invoke<OrderDetail>("release_weight_hold", { id }),
    releasePaymentHold: (id: number) => invoke<OrderDetail>("release_payment_hold", { id }),
    releaseHold: (id: number) => invoke<OrderDetail>("release_hold", { id }),
    routeAgain: (id: number) => invoke<OrderDetail>("route_again", { id }),
    listSkuMap: () => invoke<Array<SkuMapping>>("list_sku_map", {}),
    unmappedSkus: () => invoke<Array<string>>("unmapped_skus", {}),
    setSkuMapping: (storeSku: string, supplierSku: string) => invoke<SkuMapping>("set_sku_mapping", { storeSku, supplierSku }),
    removeSkuMapping: (storeSku: string) => invoke<null>("remove_sku_mapping", { storeSku }),
    seenSkus: () => invoke<Array<SeenSku>>("seen_skus", {}),
    matchSeenSkus: () => invoke<MatchReport>("match_seen_skus", {}),
    stopSkuMatch: () => invoke<null>("stop_sku_match", {}),
    confirmSkuMatches: (skus: Array<string> | null) => invoke<Array<SkuMapping>>("confirm_sku_matches", { skus }),
    exportSkuMapCsv: () => invoke<SavedExport | null>("export_sku_map_csv", {}),
    exportOrdersCsv: (query: ListOrders, bom: boolean) => invoke<SavedExport | null>("export_orders_csv", { query, bom }),
    exportStatementCsv: (year: number, month: number, bom: boolean) => invoke<SavedExport | null>("export_statement_csv", { year, month, bom }),
    exportShipmentsCsv: (from: string, before: string, bom: boolean) => invoke<SavedExport | null>("export_shipments_csv", { from, before, bom }),
    importSkuMapCsv: (text: string) => invoke<CsvImport>("import_sku_map_csv", { text }),
    autoAuthorizeStatus: () => invoke<AutoAuthorizeStatus>("auto_authorize_status", {}),
    setAutoAuthorize: (rules: AutoAuthorize) => invoke<AutoAuthorizeStatus>("set_auto_authorize", { rules }),
    listJobs: (limit: number) => invoke<Array<Job>>("list_jobs", { limit }),
    retryJob: (id: number) => invoke<Job>("retry_job", { id }),
    cancelJob: (id: number) => invoke<Job>("cancel_job", { id }),
    onboardingStatus: () => invoke<Onboarding>("onboarding_status", {}),
    markTestOrder: (id: number, mode: Mode) => invoke<Onboarding>("mark_test_order", { id, mode }),
    placeTestOrder: () => invoke<PlacedTestOrder>("place_test_order", {}),
    shipmentNotifications: () => invoke<boolean>("shipment_notifications", {}),
    setShipmentNotifications: (on: boolean) => invoke<boolean>("set_shipment_notifications", { on }),
    problemNotifications: () => invoke<ProblemNotifications>("problem_notifications", {}),
    setProblemNotifications: (wanted: ProblemNotifications) => invoke<ProblemNotifications>("set_problem_notifications", { wanted }),
    lateAfterBusinessDays: () => invoke<number>("late_after_business_days", {}),
    setLateAfterBusinessDays: (days: number) => invoke<number>("set_late_after_business_days", { days }),
    autostartEnabled: () => invoke<boolean>("autostart_enabled", {}),
    setAutostart: (on: boolean) => invoke<boolean>("set_autostart", { on }),
    quit: () => invoke<null>("quit", {}),
    windowInteractive: (page: string) => invoke<null>("window_interactive", { page }),
    needsYouCount: () => invoke<NeedsYou>("needs_you_count", {}),
    orderCount: () => invoke<OrderCount>("order_count", {}),
    trayStatus: () => invoke<TrayStatus>("tray_status", {}),
    openTracking: (orderId: number, trackingNumber: string) => invoke<null>("open_tracking", { orderId, trackingNumber }),
    recentActivity: (limit: number) => invoke<Array<ActivityEntry>>("recent_activity", { limit }),
    orderSync: () => invoke<SyncReport>("order_sync", {}),
    setSyncPaused: (paused: boolean) => invoke<SyncState>("set_sync_paused", { paused }),
    setPlan: (plan: Plan) => invoke<Plan>("set_plan", { plan }),
    listChannels: () => invoke<Array<Channel>>("list_channels", {}),
    addChannel: (input: ChannelInput) => invoke<Channel>("add_channel", { input }),
    updateChannel: (id: number, input: ChannelInput) => invoke<Channel>("update_channel", { id, input }),
    removeChannel: (id: number) => invoke<null>("remove_channel", { id }),
    testChannel: (id: number) => invoke<ConnectionCheck>("test_channel", { id }),
    supplierConnection: () => invoke<SupplierConnection>("supplier_connection", {}),
    connectSupplier: (url: string, token: string | null) => invoke<SupplierConnection>("connect_supplier", { url, token }),
    disconnectSupplier: () => invoke<SupplierConnection>("disconnect_supplier", {}),
    testSupplier: () => invoke<SupplierConnection>("test_supplier", {}),
  };
}

export type Commands = ReturnType<typeof makeCommands>;

/** Event name → payload, for every event the backend emits to the window. */
export type EventPayloads = {
  "sync-paused-changed": SyncState,
  "activity-changed": ActivityChanged,
  "open-order": OpenOrder,
  "open-activity": OpenActivity,
  "needs-you-changed": NeedsYou,
  "open-orders": OpenOrders,
  "sync-progress": SyncProgress,
  "sku-match-progress": LookupProgress,
};
