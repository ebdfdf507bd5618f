// The mock's orders past import follow the engine's rules (`dealer_core::fulfilment`): these pin
// the lifecycle, Authorize once-only, the Resolve actions, Auto Authorize and the jobs.

import { describe, expect, it } from "vitest";
import type { OrderSummary } from "../../bindings";
import { createMockBackend } from "./mock";
import { liveChannel, sandboxChannel, seedOrders } from "./mock-data";

// The default 240 orders: #1240 is imported, #1239 and #1238 await authorization, #1237 and
// #1236 are authorized, #1235 ships to a PO box, #1218 to Alaska, #1201 has an unmapped SKU,
// #1184 had its payment declined, #1167 is overweight, #1150 was refused, #1133 has no phone,
// #1229 is cancelled, #1231 shipped.
const IMPORTED = 240;
const AWAITING = 239;
const AWAITING_TOO = 238;
const AUTHORIZED = 237;
const PO_BOX = 235;
const ALASKA = 218;
const UNMAPPED = 201;
const DECLINED = 184;
const OVERWEIGHT = 167;
const REFUSED = 150;
const CANCELLED = 229;
const SHIPPED = 231;

const ADDRESS = {
  name: "Ada Lovelace",
  line1: "12 Main St",
  line2: null,
  city: "Boise",
  state_code: "id",
  postal_code: "83702",
  country_code: "us",
  phone: "+1 208 555 0100",
};

function mock(options: Parameters<typeof createMockBackend>[0] = {}) {
  const backend = createMockBackend(options);
  const reasons: string[] = [];
  backend.listen("activity-changed", ({ reason }) => reasons.push(reason));
  return { backend, commands: backend.commands, reasons };
}

describe("mock backend: the Orders list", () => {
  it("pages newest first with the total and the counts per status", async () => {
    const { commands } = mock();

    const page = await commands.listOrders({ status: null, limit: 3, offset: 1 });

    expect(page.orders.map((o) => o.number)).toEqual(["1239", "1238", "1237"]);
    expect(page.total).toBe(240);
    expect(page.counts).toEqual([
      { status: "imported", count: 1 },
      { status: "awaiting_authorization", count: 2 },
      { status: "authorized", count: 2 },
      { status: "processing", count: 3 },
      { status: "partially_shipped", count: 1 },
      { status: "shipped", count: 1 },
      { status: "completed", count: 208 },
      { status: "needs_attention", count: 14 },
      { status: "cancelled", count: 8 },
    ]);
    const attention = await commands.listOrders({ status: "needs_attention", limit: 2, offset: 0 });
    expect(attention.total).toBe(14);
    expect(attention.counts).toEqual(page.counts);
    expect(attention.orders.map((o) => o.id)).toEqual([PO_BOX, ALASKA]);
  });

  it("filters by channel and placed date, the date range half open", async () => {
    const orders: OrderSummary[] = [
      ...seedOrders(3),
      { ...seedOrders(1)[0], id: 9, number: "9001", channel: "Main store" } as OrderSummary,
    ];
    const { commands } = mock({ channels: [sandboxChannel(), liveChannel()], orders });

    const main = await commands.listOrders({ status: null, channel_id: 2, limit: 10, offset: 0 });
    expect(main.orders.map((o) => o.number)).toEqual(["9001"]);

    // seedOrders(3) places orders at 03:00, 06:00 and 09:00 UTC on 27 November 2025.
    const day = await commands.listOrders({
      status: null,
      channel_id: 1,
      placed_from: "2025-11-27T06:00:00.000Z",
      placed_before: "2025-11-27T09:00:00.000Z",
      limit: 10,
      offset: 0,
    });
    expect(day.orders.map((o) => o.placed_at)).toEqual(["2025-11-27T06:00:00.000Z"]);
    expect(day.total).toBe(1);
  });

  it("searches number, customer, email, SKU and tracking number; every word must match", async () => {
    const { commands } = mock();
    const numbers = async (search: string) =>
      (await commands.listOrders({ status: null, search, limit: 1000, offset: 0 })).orders.map(
        (o) => o.number,
      );

    expect(await numbers("1235")).toEqual(["1235"]);
    expect(await numbers("OWN-201")).toEqual(["1201"]);
    const ada = await numbers("ADA.LOVELACE@example");
    expect(ada.length).toBeGreaterThan(5);
    expect(await numbers("Lovelace")).toEqual(ada);
    expect(await numbers("1Z999AA10100000231")).toEqual(["1231"]);
    // A word under three letters looks only in the order number.
    expect(await numbers("Lovelace 12")).toEqual(ada.filter((n) => n.includes("12")));
    expect(await numbers("Lovelace nobody")).toEqual([]);
  });

  it("refuses a page size the backend refuses", async () => {
    const { commands } = mock();
    await expect(commands.listOrders({ status: null, limit: 0, offset: 0 })).rejects.toEqual({
      code: "invalid_input",
      message: "limit: ask for 1 to 1000 orders at a time",
    });
  });
});

describe("mock backend: an order", () => {
  it("has items, ship-to, totals, US Direct's invoice, margin, jobs and its timeline", async () => {
    const { commands } = mock();

    const order = await commands.getOrder(SHIPPED);

    expect(order).toMatchObject({ number: "1231", status: "shipped", channel_id: 1 });
    expect(order.subtotal_minor + order.shipping_minor + order.tax_minor).toBe(order.total_minor);
    const lines = order.lines.reduce((sum, l) => sum + l.quantity * l.unit_price_minor, 0);
    expect(lines).toBe(order.subtotal_minor);
    expect(order.lines.every((line) => line.supplier_sku === line.sku)).toBe(true);
    expect(order.supplier).toMatchObject({ currency: "USD", payment_status: "authorized" });
    expect(order.margin_minor).toBe(
      order.subtotal_minor + order.shipping_minor - (order.supplier?.total_cost_minor ?? 0),
    );
    expect(order.shipments).toEqual([
      expect.objectContaining({ carrier: "UPS", tracking_number: "1Z999AA10100000231" }),
    ]);
    expect(order.jobs.map((job) => [job.kind, job.state])).toEqual([
      ["authorize_payment", "succeeded"],
      ["create_supplier_order", "succeeded"],
    ]);
    expect(order.events.map((event) => [event.from, event.to, event.actor])).toEqual([
      [null, "imported", "scheduler"],
      ["imported", "imported", "system"],
      ["imported", "awaiting_authorization", "supplier"],
      ["awaiting_authorization", "authorized", "dealer"],
      ["authorized", "processing", "supplier"],
      ["processing", "shipped", "supplier"],
    ]);
    expect(order.can_authorize).toBe(false);
    await expect(commands.getOrder(99_999)).rejects.toEqual({
      code: "not_found",
      message: "order 99999 was not found",
    });
  });

  it("says why each seeded order needs attention", async () => {
    const { commands } = mock();
    const attention = async (id: number) => (await commands.getOrder(id)).attention;

    expect(await attention(PO_BOX)).toMatchObject({
      kind: "routing",
      problems: [{ rule: "po_box" }],
    });
    expect(await attention(ALASKA)).toMatchObject({
      kind: "routing",
      problems: [{ rule: "outside_lower48", state_code: "AK", country_code: "US" }],
    });
    expect(await attention(UNMAPPED)).toMatchObject({
      problems: [{ rule: "unmapped_sku", sku: "OWN-201" }],
    });
    expect(await attention(OVERWEIGHT)).toMatchObject({ problems: [{ rule: "overweight" }] });
    expect(await attention(DECLINED)).toMatchObject({ kind: "declined", problems: [] });
    expect(await attention(REFUSED)).toMatchObject({ kind: "refused" });
    expect((await attention(PO_BOX))?.reason).toBe(
      "US Direct does not ship to PO boxes. Ask the customer for a street address and edit the ship-to.",
    );
    expect((await commands.getOrder(DECLINED)).can_authorize).toBe(true);
    expect(await commands.unmappedSkus()).toEqual(["OWN-201", "OWN-202"]);
  });
});

describe("mock backend: Authorize Order for Payment", () => {
  it("authorizes an order awaiting authorization once, whatever the clicks", async () => {
    const { backend, commands, reasons } = mock();

    const [first] = await commands.authorizeOrders([AWAITING]);
    const [second] = await commands.authorizeOrders([AWAITING]);

    expect(first).toEqual({
      order_id: AWAITING,
      number: "1239",
      result: "queued",
      message: "order 1239 authorized for payment",
    });
    expect(second).toMatchObject({
      result: "already_authorized",
      message: "order 1239 is already authorized",
    });
    const order = await commands.getOrder(AWAITING);
    expect(order).toMatchObject({
      status: "authorized",
      authorized_by: "dealer",
      can_authorize: false,
    });
    expect(order.jobs.filter((job) => job.kind === "authorize_payment")).toHaveLength(1);
    expect(order.events.at(-1)).toMatchObject({
      from: "awaiting_authorization",
      to: "authorized",
      actor: "dealer",
      detail: expect.stringMatching(/^Authorize Order for Payment: \d+\.\d\d USD$/),
    });
    expect(reasons).toEqual(["authorized", "authorized"]);

    // The outbox sends it to US Direct, which authorizes the payment: the order is processing.
    // (The seed's three waiting jobs run in the same pass.)
    expect(backend.runOutbox()).toMatchObject({ succeeded: 4 });
    expect((await commands.getOrder(AWAITING)).status).toBe("processing");
    expect(reasons.at(-1)).toBe("outbox");
  });

  it("says why the others were not authorized", async () => {
    const { commands } = mock();

    const outcomes = await commands.authorizeOrders([IMPORTED, CANCELLED, SHIPPED, AUTHORIZED]);

    expect(outcomes.map((o) => [o.result, o.message])).toEqual([
      [
        "not_allowed",
        "order 1240 is imported; only an order awaiting authorization can be authorized",
      ],
      [
        "not_allowed",
        "order 1229 is cancelled; only an order awaiting authorization can be authorized",
      ],
      ["already_authorized", "order 1231 was authorized and has shipped"],
      ["already_authorized", "order 1237 is already authorized"],
    ]);
    await expect(commands.authorizeOrders([123_456])).rejects.toMatchObject({ code: "not_found" });
  });

  it("moves a declined order to needs attention, and authorizes it again", async () => {
    const { backend, commands } = mock({ declinePayments: [AWAITING] });
    await commands.authorizeOrders([AWAITING]);

    backend.runOutbox();
    const declined = await commands.getOrder(AWAITING);
    expect(declined).toMatchObject({
      status: "needs_attention",
      attention: { kind: "declined" },
      authorized_at: null,
      can_authorize: true,
    });
    expect(declined.supplier?.payment_status).toBe("declined");

    const [again] = await commands.authorizeOrders([AWAITING]);
    expect(again?.result).toBe("queued");
    const order = await commands.getOrder(AWAITING);
    expect(order.status).toBe("authorized");
    expect(order.attention).toBeNull();
    expect(order.events.slice(-2).map((event) => event.to)).toEqual([
      "awaiting_authorization",
      "authorized",
    ]);
  });

  it("sends an imported order to US Direct, then awaits authorization", async () => {
    const { backend, commands } = mock();

    backend.runOutbox();

    const order = await commands.getOrder(IMPORTED);
    expect(order.status).toBe("awaiting_authorization");
    expect(order.supplier).toMatchObject({ payment_status: "not_authorized" });
    expect(order.jobs[0]).toMatchObject({
      kind: "create_supplier_order",
      state: "succeeded",
      attempts: 1,
    });
  });
});

describe("mock backend: Auto Authorize", () => {
  it("starts off and keeps the rules it is given, refusing amounts of $0 or less", async () => {
    const { commands } = mock();

    expect(await commands.autoAuthorizeStatus()).toEqual({
      rules: { enabled: false, max_total_minor: null, daily_cap_minor: null },
      currency: "USD",
      spent_today_minor: 0,
      waiting: 2,
      waiting_within_limits: [],
    });
    await expect(
      commands.setAutoAuthorize({ enabled: true, max_total_minor: 0, daily_cap_minor: null }),
    ).rejects.toEqual({
      code: "invalid_input",
      message: "max_total: must be more than $0.00; leave it empty for no limit",
    });
    await expect(
      commands.setAutoAuthorize({ enabled: true, max_total_minor: null, daily_cap_minor: -1 }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/^daily_cap: /) });
  });

  it("names the waiting orders within the limits, oldest first", async () => {
    const { commands } = mock();
    const cheap = (await commands.getOrder(AWAITING))?.supplier?.total_cost_minor ?? 0;
    const dear = (await commands.getOrder(AWAITING_TOO))?.supplier?.total_cost_minor ?? 0;
    expect(dear).not.toBe(cheap);

    const all = await commands.setAutoAuthorize({
      enabled: true,
      max_total_minor: null,
      daily_cap_minor: null,
    });
    expect(all.waiting_within_limits).toEqual([AWAITING_TOO, AWAITING]);

    const capped = await commands.setAutoAuthorize({
      enabled: true,
      max_total_minor: Math.min(cheap, dear),
      daily_cap_minor: null,
    });
    expect(capped.waiting_within_limits).toEqual([cheap < dear ? AWAITING : AWAITING_TOO]);
  });

  it("authorizes an order as soon as US Direct invoices it, and counts what it spent today", async () => {
    const { backend, commands } = mock({
      autoAuthorize: { enabled: true, max_total_minor: null, daily_cap_minor: null },
    });

    backend.runOutbox();

    const order = await commands.getOrder(IMPORTED);
    expect(order.status).toBe("processing");
    expect(order.authorized_by).toBe("auto_rule");
    expect(order.events.map((event) => event.actor)).toContain("auto_rule");
    const status = await commands.autoAuthorizeStatus();
    expect(status.spent_today_minor).toBe(order.supplier?.total_cost_minor);
  });

  it("notes on the timeline which limit holds an order", async () => {
    const { backend, commands } = mock({
      autoAuthorize: { enabled: true, max_total_minor: 100, daily_cap_minor: null },
    });

    backend.runOutbox();

    const order = await commands.getOrder(IMPORTED);
    expect(order.status).toBe("awaiting_authorization");
    expect(order.events.at(-1)).toMatchObject({
      actor: "auto_rule",
      detail: expect.stringMatching(/maximum order total of 1\.00 USD$/),
    });
  });
});

describe("mock backend: Resolve", () => {
  it("edits a PO box address and routes the order again", async () => {
    const { backend, commands, reasons } = mock();

    const order = await commands.editShipTo(PO_BOX, ADDRESS);

    expect(order.ship_to).toEqual({ ...ADDRESS, state_code: "ID", country_code: "US" });
    expect(order.status).toBe("imported");
    expect(order.attention).toBeNull();
    expect(order.jobs[0]).toMatchObject({ kind: "create_supplier_order", state: "pending" });
    expect(order.events.slice(-3).map((e) => [e.from, e.to, e.actor, e.detail])).toEqual([
      [
        "needs_attention",
        "needs_attention",
        "dealer",
        "ship-to edited: Ada Lovelace, 12 Main St, Boise, ID 83702, US",
      ],
      ["needs_attention", "imported", "dealer", "resolved: routing again"],
      [
        "imported",
        "imported",
        "system",
        "US Direct's checks passed; sending the order to US Direct",
      ],
    ]);
    expect(reasons).toEqual(["resolved"]);
    backend.runOutbox();
    expect((await commands.getOrder(PO_BOX)).status).toBe("awaiting_authorization");
  });

  it("keeps an order in attention when the new address still fails, with the new problems", async () => {
    const { commands } = mock();

    const order = await commands.editShipTo(ALASKA, { ...ADDRESS, state_code: "HI", phone: "555" });

    expect(order.status).toBe("needs_attention");
    expect(order.attention?.problems).toEqual([
      { rule: "missing_phone" },
      { rule: "outside_lower48", state_code: "HI", country_code: "US" },
    ]);
  });

  it("refuses an incomplete address, and an order already with US Direct", async () => {
    const { commands } = mock();

    await expect(commands.editShipTo(PO_BOX, { ...ADDRESS, city: " " })).rejects.toEqual({
      code: "invalid_input",
      message: "address.city: is empty; edit the address",
    });
    await expect(commands.editShipTo(PO_BOX, { ...ADDRESS, country_code: "USA" })).rejects.toEqual({
      code: "invalid_input",
      message: 'address.country_code: "USA" is not a two-letter country code such as US',
    });
    await expect(commands.editShipTo(SHIPPED, ADDRESS)).rejects.toEqual({
      code: "invalid_input",
      message: "order: the address can only be edited before the order goes to US Direct",
    });
  });

  it("maps a SKU, after which the order routes", async () => {
    const { commands } = mock();

    await expect(commands.setSkuMapping(" OWN-201 ", "USD-1006")).resolves.toMatchObject({
      store_sku: "OWN-201",
      supplier_sku: "USD-1006",
    });
    const order = await commands.routeAgain(UNMAPPED);

    expect(order.status).toBe("imported");
    expect(order.lines.find((line) => line.sku === "OWN-201")?.supplier_sku).toBe("USD-1006");
    expect(await commands.unmappedSkus()).toEqual(["OWN-202"]);
  });

  it("releases a weight hold and routes again", async () => {
    const { commands } = mock();

    const order = await commands.releaseWeightHold(OVERWEIGHT);

    expect(order).toMatchObject({ status: "imported", weight_hold_released: true });
    await expect(commands.releaseWeightHold(SHIPPED)).rejects.toEqual({
      code: "invalid_input",
      message: "order: order 231 is not waiting on a hold",
    });
  });

  it("routes a refused order again, and nothing else", async () => {
    const { commands } = mock();

    await expect(commands.routeAgain(REFUSED)).resolves.toMatchObject({ status: "imported" });
    await expect(commands.routeAgain(AWAITING)).rejects.toEqual({
      code: "invalid_input",
      message:
        "order: order 239 is awaiting authorization; only an order that needs attention is routed again",
    });
  });
});

describe("mock backend: SKU map", () => {
  it("lists mappings by store SKU, checks SKUs, removes what exists", async () => {
    const { commands } = mock();

    const map = await commands.listSkuMap();
    expect(map.map((m) => m.store_sku)).toEqual([
      "USD-1001",
      "USD-1002",
      "USD-1003",
      "USD-1004",
      "USD-1005",
      "USD-1006",
      "USD-1007",
      "USD-1008",
    ]);
    await expect(commands.setSkuMapping("", "USD-1")).rejects.toEqual({
      code: "invalid_input",
      message: "store_sku: is empty; type the SKU",
    });
    await expect(commands.setSkuMapping("A", "two words")).rejects.toEqual({
      code: "invalid_input",
      message: 'supplier_sku: "two words" is not a SKU: use up to 64 characters, without spaces',
    });
    await expect(commands.removeSkuMapping("USD-1008")).resolves.toBeNull();
    await expect(commands.removeSkuMapping("USD-1008")).rejects.toEqual({
      code: "not_found",
      message: "a mapping for SKU USD-1008 was not found",
    });
  });
});

describe("mock backend: jobs", () => {
  it("lists jobs newest first", async () => {
    const { commands } = mock();

    const jobs = await commands.listJobs(3);

    expect(jobs).toHaveLength(3);
    expect(jobs[0]).toMatchObject({
      kind: "create_supplier_order",
      state: "pending",
      order_number: "1240",
    });
    expect(jobs.map((job) => job.id)).toEqual([...jobs.map((job) => job.id)].sort((a, b) => b - a));
  });

  it("retries a failed job, putting its order back on track", async () => {
    const { commands, reasons } = mock();
    const [failed] = (await commands.getOrder(REFUSED)).jobs;
    expect(failed).toMatchObject({
      state: "failed",
      last_error: expect.stringContaining("refused"),
    });

    const retried = await commands.retryJob(failed?.id ?? 0);

    expect(retried).toMatchObject({ state: "pending", finished_at: null });
    expect((await commands.getOrder(REFUSED)).status).toBe("imported");
    expect(reasons).toEqual(["job_retried"]);
    await expect(commands.retryJob(retried.id + 100_000)).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("cancels a waiting authorization: the order needs the dealer, and can be routed again", async () => {
    const { commands } = mock();
    const job = (await commands.getOrder(AUTHORIZED)).jobs.find(
      (j) => j.kind === "authorize_payment",
    );

    await expect(commands.cancelJob(job?.id ?? 0)).resolves.toMatchObject({ state: "cancelled" });

    const order = await commands.getOrder(AUTHORIZED);
    expect(order).toMatchObject({
      status: "needs_attention",
      attention: { kind: "stopped" },
      authorized_at: null,
    });
    expect(order.attention?.reason).toBe(
      "The payment authorization was cancelled by you. Resolve to send it again, or cancel the order in your store.",
    );
    await expect(commands.cancelJob(job?.id ?? 0)).rejects.toEqual({
      code: "invalid_input",
      message: "job: the job has cancelled already",
    });
    await expect(commands.retryJob(job?.id ?? 0)).rejects.toEqual({
      code: "invalid_input",
      message: "job: the job has cancelled; there is nothing to retry",
    });
    await expect(commands.routeAgain(AUTHORIZED)).resolves.toMatchObject({
      status: "awaiting_authorization",
    });
  });
});
