// The onboarding guide's test order in the mock follows `Engine::onboarding`: the marked order or
// the first one, each check ticked from its own events and shipments; Place a test order puts a
// "Taylor Tester" order in the sandbox store, and the sandbox US Direct ships it.

import { afterEach, describe, expect, it, vi } from "vitest";
import { createMockBackend, type MockOptions } from "./mock";
import { liveChannel, sandboxChannel, upsCheckDigit, upsTrackingNumber } from "./mock-data";

function mock(options: MockOptions = {}) {
  const backend = createMockBackend(options);
  const reasons: string[] = [];
  backend.listen("activity-changed", ({ reason }) => reasons.push(reason));
  return { backend, commands: backend.commands, reasons };
}

/** A new install: the sandbox store alone, no orders yet. */
function fresh(options: MockOptions = {}) {
  return mock({ orders: [], activity: [], ...options });
}

type Commands = ReturnType<typeof mock>["commands"];

async function doneAt(commands: Commands) {
  const status = await commands.onboardingStatus();
  return Object.fromEntries(status.checks.map((check) => [check.step, check.done_at]));
}

async function hints(commands: Commands) {
  const status = await commands.onboardingStatus();
  return Object.fromEntries(status.checks.map((check) => [check.step, check.hint]));
}

afterEach(() => {
  vi.useRealTimers();
});

describe("mock backend: onboarding", () => {
  it("has no test order before the first import, and says what to do", async () => {
    const { commands } = fresh();

    expect(await commands.onboardingStatus()).toEqual({
      test_order: null,
      checks: [
        {
          step: "imported",
          done_at: null,
          hint: "Place a test order in your store (in the Sandbox: Place a test order), then press Order Sync. If it does not appear, check the store's connection in Settings.",
        },
        { step: "routed_and_authorized", done_at: null, hint: "Waiting for the test order." },
        { step: "tracking_synced", done_at: null, hint: "Waiting for the test order." },
      ],
      complete: false,
    });
  });

  it("takes the first order when none is marked: a completed one ticks every check", async () => {
    const { commands } = mock();

    const status = await commands.onboardingStatus();

    expect(status.test_order).toEqual({
      id: 1,
      number: "1001",
      status: "completed",
      marked: false,
    });
    expect(status.complete).toBe(true);
    const order = await commands.getOrder(1);
    const events = order.events;
    expect(status.checks).toEqual([
      { step: "imported", done_at: events[0]?.at, hint: null },
      {
        step: "routed_and_authorized",
        done_at: events.find((e) => e.from === "authorized" && e.to === "processing")?.at,
        hint: null,
      },
      { step: "tracking_synced", done_at: order.shipments[0]?.pushed_at, hint: null },
    ]);
  });

  it("marks another order as the test order, and refuses one that does not exist", async () => {
    const { commands } = mock();

    const marked = await commands.markTestOrder(239);

    expect(marked.test_order).toEqual({
      id: 239,
      number: "1239",
      status: "awaiting_authorization",
      marked: true,
    });
    expect(marked.complete).toBe(false);
    expect(marked.checks.map((check) => check.done_at !== null)).toEqual([true, false, false]);
    expect(marked.checks[1]?.hint).toBe(
      "Awaiting authorization: open the order and press Authorize Order for Payment.",
    );
    expect(marked.checks[2]?.hint).toMatch(/^No tracking yet: US Direct ships 2–4 business days/);
    expect(await commands.onboardingStatus()).toEqual(marked);
    await expect(commands.markTestOrder(9999)).rejects.toEqual({
      code: "not_found",
      message: "order 9999 was not found",
    });
    expect((await commands.onboardingStatus()).test_order?.id).toBe(239);
  });

  it("places the test order in the sandbox store; the next Order Sync imports it", async () => {
    const { commands } = fresh();

    expect(await commands.placeTestOrder()).toEqual({ number: "#1001" });
    expect((await commands.onboardingStatus()).test_order).toBeNull();

    const report = await commands.orderSync();

    expect(report.message).toBe("Order Sync: 1 new, 0 updated.");
    const { orders } = await commands.listOrders({ status: null, limit: 10, offset: 0 });
    expect(orders).toEqual([
      expect.objectContaining({
        number: "1001",
        customer_name: "Taylor Tester",
        total_minor: 540,
        channel: "Sandbox Store",
      }),
    ]);
    const order = await commands.getOrder(orders[0]?.id ?? 0);
    expect(order.lines).toEqual([
      expect.objectContaining({ sku: "USD-1001", quantity: 1, unit_price_minor: 499 }),
    ]);
    expect(order.ship_to).toMatchObject({ city: "Austin", state_code: "TX" });
    const status = await commands.onboardingStatus();
    expect(status.test_order).toEqual({
      id: order.id,
      number: "1001",
      status: "imported",
      marked: false,
    });
    expect(status.checks[0]).toEqual({
      step: "imported",
      done_at: order.events[0]?.at,
      hint: null,
    });
    expect(status.checks[1]?.hint).toMatch(/^Being sent to US Direct/);
  });

  it("numbers placed orders on from the store's orders, and imports them all in one pass", async () => {
    const { commands } = mock();

    expect(await commands.placeTestOrder()).toEqual({ number: "#1241" });
    expect(await commands.placeTestOrder()).toEqual({ number: "#1242" });
    const report = await commands.orderSync();

    expect(report.channels[0]).toMatchObject({ imported: 2, unchanged: 248 });
    const { orders } = await commands.listOrders({ status: null, limit: 3, offset: 0 });
    expect(orders.map((order) => [order.number, order.customer_name])).toEqual([
      ["1242", "Taylor Tester"],
      ["1241", "Taylor Tester"],
      ["1240", expect.any(String)],
    ]);
  });

  it("refuses to place a test order while a live store is connected", async () => {
    const { commands } = mock({ channels: [sandboxChannel(), liveChannel()] });

    await expect(commands.placeTestOrder()).rejects.toEqual({
      code: "invalid_input",
      message: "a live store is connected: place the test order in your store",
    });
  });

  it("walks the test order through all three checks: import, authorize, ship, tracking in the store", async () => {
    const { backend, commands, reasons } = fresh();
    await commands.placeTestOrder();
    await commands.orderSync();
    const id = (await commands.onboardingStatus()).test_order?.id ?? 0;

    backend.runOutbox();
    expect((await commands.onboardingStatus()).test_order?.status).toBe("awaiting_authorization");
    expect((await hints(commands)).routed_and_authorized).toMatch(/^Awaiting authorization/);

    await commands.authorizeOrders([id]);
    expect((await hints(commands)).routed_and_authorized).toBe(
      "Authorized; waiting for US Direct to confirm the payment.",
    );
    expect((await doneAt(commands)).routed_and_authorized).toBeNull();

    reasons.length = 0;
    expect(backend.runOutbox()).toEqual({ succeeded: 2, retrying: 0, failed: 0 });

    const order = await commands.getOrder(id);
    expect(order.status).toBe("completed");
    expect(order.events.slice(-4).map((e) => [e.from, e.to, e.actor])).toEqual([
      ["awaiting_authorization", "authorized", "dealer"],
      ["authorized", "processing", "supplier"],
      ["processing", "shipped", "supplier"],
      ["shipped", "completed", "system"],
    ]);
    const [shipment] = order.shipments;
    expect(shipment).toMatchObject({
      carrier: "UPS",
      tracking_number: upsTrackingNumber(id),
      tracking_url: `https://www.ups.com/track?tracknum=${upsTrackingNumber(id)}`,
      lines: [{ sku: "USD-1001", quantity: 1 }],
    });
    expect(shipment?.pushed_at).not.toBeNull();
    expect(order.jobs[0]).toMatchObject({
      kind: "push_tracking",
      state: "succeeded",
      idempotency_key: `push:${id}:${upsTrackingNumber(id)}`,
    });
    const status = await commands.onboardingStatus();
    expect(status.complete).toBe(true);
    expect(status.checks.map((check) => check.hint)).toEqual([null, null, null]);
    expect(status.checks[2]?.done_at).toBe(shipment?.pushed_at);
    expect(reasons).toEqual(["outbox"]);
  });

  it("ships a test order after a delay in a browser, then writes the tracking back", async () => {
    vi.useFakeTimers();
    const { backend, commands, reasons } = fresh({
      outboxDelayMs: 1_000,
      sandboxShipDelayMs: 20_000,
    });
    await commands.placeTestOrder();
    await commands.orderSync();
    const id = (await commands.onboardingStatus()).test_order?.id ?? 0;
    await vi.advanceTimersByTimeAsync(1_000);
    await commands.authorizeOrders([id]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await commands.getOrder(id)).status).toBe("processing");
    expect((await doneAt(commands)).routed_and_authorized).not.toBeNull();
    expect((await hints(commands)).tracking_synced).toMatch(/^No tracking yet/);

    reasons.length = 0;
    await vi.advanceTimersByTimeAsync(20_000);
    const shipped = await commands.getOrder(id);
    expect(shipped.status).toBe("shipped");
    expect(shipped.shipments[0]?.pushed_at).toBeNull();
    expect((await hints(commands)).tracking_synced).toMatch(
      /^Tracking arrived; it is being written/,
    );
    expect(reasons).toEqual(["shipments"]);

    await vi.advanceTimersByTimeAsync(1_000);
    expect((await commands.getOrder(id)).status).toBe("completed");
    expect((await commands.onboardingStatus()).complete).toBe(true);
    expect(backend.runOutbox().succeeded).toBe(0);
  });

  it("leaves other orders where the outbox puts them: only test orders ship in the mock", async () => {
    const { backend, commands } = mock();

    await commands.authorizeOrders([239]);
    backend.runOutbox();

    const order = await commands.getOrder(239);
    expect(order.status).toBe("processing");
    expect(order.shipments).toEqual([]);
  });
});

describe("mock backend: shipment notifications", () => {
  it("are on by default, and keep what the dealer sets", async () => {
    const { commands } = mock();

    expect(await commands.shipmentNotifications()).toBe(true);
    expect(await commands.setShipmentNotifications(false)).toBe(false);
    expect(await commands.shipmentNotifications()).toBe(false);
    expect(await commands.setShipmentNotifications(true)).toBe(true);
    await expect(
      mock({ shipmentNotifications: false }).commands.shipmentNotifications(),
    ).resolves.toBe(false);
  });
});

describe("UPS tracking numbers", () => {
  it("carry UPS's check digit", () => {
    // UPS's own test number.
    expect(upsCheckDigit("999AA1012345678")).toBe(4);
    for (const id of [1, 42, 1241, 9_999_999]) {
      const number = upsTrackingNumber(id);
      expect(number).toMatch(/^1Z[0-9A-Z]{16}$/);
      expect(upsCheckDigit(number.slice(2, 17))).toBe(Number(number.slice(17)));
    }
  });
});
