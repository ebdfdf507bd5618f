// The mock stands in for the Rust backend in every UI test: these pin it to the backend's rules.

import { describe, expect, it } from "vitest";
import type { ChannelInput, SyncProgress } from "../../bindings";
import { createMockBackend } from "./mock";
import { liveChannel, sandboxChannel } from "./mock-data";

const SHOPIFY: ChannelInput = {
  kind: "shopify",
  name: "Main store",
  url: "https://main-store.myshopify.com/",
  token: "shpat_1",
  consumer_key: null,
  consumer_secret: null,
};

async function mode(backend: ReturnType<typeof createMockBackend>) {
  const status = await backend.commands.appStatus();
  return status.state === "ready" ? status.mode : status.state;
}

describe("mock backend: channels", () => {
  it("starts with the sandbox store alone, in sandbox mode, on the Plus plan", async () => {
    const backend = createMockBackend();

    expect(await backend.commands.listChannels()).toEqual([
      {
        id: 1,
        kind: "shopify",
        name: "Sandbox Store",
        base_url: "http://127.0.0.1:38211",
        is_sandbox: true,
        sync_cursor: null,
        last_synced_at: null,
      },
    ]);
    const status = await backend.commands.appStatus();
    expect(status).toMatchObject({ state: "ready", mode: "sandbox", plan: "plus" });
  });

  it("adds a real store, which switches to live and tells the window", async () => {
    const backend = createMockBackend();
    const reasons: string[] = [];
    await backend.listen("activity-changed", ({ reason }) => reasons.push(reason));

    const added = await backend.commands.addChannel(SHOPIFY);

    expect(added).toEqual({
      id: 2,
      kind: "shopify",
      name: "Main store",
      base_url: "https://main-store.myshopify.com",
      is_sandbox: false,
      sync_cursor: null,
      last_synced_at: null,
    });
    expect(added).not.toHaveProperty("token");
    expect((await backend.commands.listChannels()).map((c) => c.name)).toEqual([
      "Sandbox Store",
      "Main store",
    ]);
    expect(await mode(backend)).toBe("live");
    expect(reasons).toEqual(["channels_changed"]);
  });

  it("refuses what the backend refuses, with its messages", async () => {
    const backend = createMockBackend();
    const refused = (input: Partial<ChannelInput>) =>
      backend.commands.addChannel({ ...SHOPIFY, ...input });

    await expect(refused({ name: " " })).rejects.toEqual({
      code: "invalid_input",
      message: "name: give the channel a name of 1 to 60 characters",
    });
    await expect(refused({ name: "x".repeat(61) })).rejects.toMatchObject({
      message: "name: give the channel a name of 1 to 60 characters",
    });
    await expect(refused({ name: "Sandbox Store" })).rejects.toEqual({
      code: "invalid_input",
      message: 'name: a channel called "Sandbox Store" exists already; pick another name',
    });
    await expect(refused({ url: "http://main-store.myshopify.com" })).rejects.toMatchObject({
      message: expect.stringMatching(/^url: http:\/\/main-store\.myshopify\.com uses http:\/\//),
    });
    await expect(refused({ url: "main-store.myshopify.com" })).rejects.toMatchObject({
      message: 'url: "main-store.myshopify.com" is not a URL; it should start with https://',
    });
    await expect(refused({ url: "ftp://main-store.myshopify.com" })).rejects.toMatchObject({
      message: "url: ftp:// is not a web address; use https://",
    });
    await expect(refused({ url: "https://user:pw@x.myshopify.com" })).rejects.toMatchObject({
      message: expect.stringContaining("without credentials or a query"),
    });
    await expect(refused({ url: "https://x.myshopify.com/admin" })).rejects.toMatchObject({
      message: "url: https://x.myshopify.com/admin has a path; use https://{shop}.myshopify.com",
    });
    await expect(
      refused({ kind: "bigcommerce", url: "https://mystore.com" }),
    ).rejects.toMatchObject({ message: expect.stringContaining("/stores/") });
    await expect(refused({ token: "  " })).rejects.toEqual({
      code: "invalid_input",
      message: "enter the store's credentials",
    });
    await expect(refused({ kind: "woocommerce" })).rejects.toMatchObject({
      message: "credentials: WooCommerce uses a consumer key and secret, not a token",
    });
    await expect(
      refused({ kind: "woocommerce", token: null, consumer_key: "ck_1" }),
    ).rejects.toMatchObject({
      message: "credentials: WooCommerce needs both the consumer key and the consumer secret",
    });
    await expect(
      refused({ token: null, consumer_key: "ck_1", consumer_secret: "cs_1" }),
    ).rejects.toMatchObject({
      message: "credentials: this store uses an access token, not a key and secret",
    });
    expect(await backend.commands.listChannels()).toHaveLength(1);
    expect(await mode(backend)).toBe("sandbox");
  });

  it("accepts plain http on loopback and the BigCommerce API base", async () => {
    const backend = createMockBackend();

    for (const url of ["http://localhost:8080", "http://127.0.0.1:9000/", "http://[::1]:80"]) {
      await backend.commands.addChannel({ ...SHOPIFY, name: url, url });
    }
    await backend.commands.addChannel({
      ...SHOPIFY,
      kind: "bigcommerce",
      name: "BC",
      url: "https://api.bigcommerce.com/stores/abc123",
    });

    expect(await backend.commands.listChannels()).toHaveLength(5);
  });

  it("edits a real store, keeping its platform and, when none are given, its credentials", async () => {
    const backend = createMockBackend({ mode: "live" });

    const edited = await backend.commands.updateChannel(2, {
      ...SHOPIFY,
      kind: "woocommerce",
      name: "Renamed",
      token: null,
    });

    expect(edited).toMatchObject({ id: 2, kind: "shopify", name: "Renamed" });
    await expect(backend.commands.testChannel(2)).resolves.toEqual({ store_name: "Main Store" });
    await expect(
      backend.commands.updateChannel(2, { ...SHOPIFY, name: "Sandbox Store" }),
    ).rejects.toMatchObject({ message: expect.stringContaining("exists already") });
  });

  it("never edits or removes the sandbox store", async () => {
    const backend = createMockBackend();

    await expect(backend.commands.updateChannel(1, SHOPIFY)).rejects.toEqual({
      code: "invalid_input",
      message: "channel: the sandbox store cannot be edited",
    });
    await expect(backend.commands.removeChannel(1)).rejects.toEqual({
      code: "invalid_input",
      message: "channel: the sandbox store cannot be removed",
    });
    await expect(backend.commands.removeChannel(9)).rejects.toEqual({
      code: "not_found",
      message: "channel 9 was not found",
    });
  });

  it("removes a real store and goes back to sandbox mode; its orders stay", async () => {
    const backend = createMockBackend({
      mode: "live",
      orders: [
        {
          id: 1,
          channel: "Main store",
          number: "1001",
          status: "imported",
          customer_name: "Ada Lovelace",
          total_minor: 100,
          currency: "USD",
          placed_at: "2025-11-27T09:00:00Z",
        },
      ],
    });
    const reasons: string[] = [];
    await backend.listen("activity-changed", ({ reason }) => reasons.push(reason));

    await expect(backend.commands.removeChannel(2)).resolves.toBeNull();

    expect((await backend.commands.listChannels()).map((c) => c.name)).toEqual(["Sandbox Store"]);
    expect(await mode(backend)).toBe("sandbox");
    expect(reasons).toEqual(["channels_changed"]);
    const {
      orders: [order],
    } = await backend.commands.listOrders({ status: null, limit: 10, offset: 0 });
    expect(order?.channel).toMatch(/^Main store \(removed \d{4}-\d\d-\d\d \d\d:\d\d\)$/);
    // The name is free again.
    await expect(backend.commands.addChannel(SHOPIFY)).resolves.toMatchObject({ id: 3 });
  });

  it("tests a connection, or says the store refused the credentials", async () => {
    const backend = createMockBackend({ mode: "live", refusedChannels: ["Main store"] });

    await expect(backend.commands.testChannel(1)).resolves.toEqual({
      store_name: "Sandbox Store",
    });
    await expect(backend.commands.testChannel(2)).rejects.toEqual({
      code: "channel",
      message:
        "Main store: the store refused the credentials (HTTP 401: Invalid API key or access token (unrecognized login or wrong password)); check the access token or API keys",
    });
    await expect(backend.commands.testChannel(7)).rejects.toMatchObject({ code: "not_found" });
  });

  it("changes the plan, and only to a known one", async () => {
    const backend = createMockBackend();

    await expect(backend.commands.setPlan("basic")).resolves.toBe("basic");
    expect(await backend.commands.appStatus()).toMatchObject({ plan: "basic" });
    await expect(backend.commands.setPlan("gold" as never)).rejects.toEqual({
      code: "invalid_input",
      message: 'plan: "gold" is not a plan; use basic, plus or vip',
    });
  });
});

describe("mock backend: Order Sync", () => {
  it("reports progress page by page, then finished, and returns a report", async () => {
    const backend = createMockBackend({ syncPages: 3 });
    const progress: SyncProgress[] = [];
    const reasons: string[] = [];
    await backend.listen("sync-progress", (payload) => progress.push(payload));
    await backend.listen("activity-changed", ({ reason }) => reasons.push(reason));

    const report = await backend.commands.orderSync();

    expect(progress).toEqual([
      { channel: "Sandbox Store", pages: 1, orders: 100, finished: false },
      { channel: "Sandbox Store", pages: 2, orders: 200, finished: false },
      { channel: "Sandbox Store", pages: 3, orders: 250, finished: false },
      { channel: "", pages: 3, orders: 1, finished: true },
    ]);
    expect(report.channels).toEqual([
      {
        channel: "Sandbox Store",
        pages: 3,
        imported: 1,
        updated: 0,
        unchanged: 249,
        quarantined: 0,
        error: null,
      },
    ]);
    expect(report.message).toBe("Order Sync: 1 new, 0 updated.");
    expect(reasons).toEqual(["order_sync"]);
    const [run] = (await backend.commands.recentActivity(10)).filter((e) => e.kind === "sync_run");
    expect(run).toMatchObject({ trigger: "window", channel: "Sandbox Store", imported: 1 });
    const [sandbox] = await backend.commands.listChannels();
    expect(sandbox?.sync_cursor).not.toBeNull();
  });

  it("leaves the sandbox out once a real store is connected, and reports its failure", async () => {
    const backend = createMockBackend({ mode: "live", refusedChannels: ["Main store"] });

    const report = await backend.commands.orderSync();

    expect(report.channels.map((c) => c.channel)).toEqual(["Main store"]);
    expect(report.channels[0]?.error).toMatch(/^the store refused the credentials/);
    expect(report.message).toMatch(
      /^Order Sync: 0 new, 0 updated\. Failed: Main store: the store refused the credentials .*\.$/,
    );
    const [run] = await backend.commands.recentActivity(1);
    expect(run).toMatchObject({
      kind: "sync_run",
      channel: "Main store",
      error: expect.any(String),
    });
  });

  it("quarantines orders it cannot read, counting repeats", async () => {
    const backend = createMockBackend({
      activity: [],
      malformedOrders: [{ channel_order_id: "77", reason: "no currency", excerpt: '{"id":77}' }],
    });

    await backend.commands.orderSync();
    const report = await backend.runSync("schedule");

    expect(report.channels[0]?.quarantined).toBe(1);
    expect(report.message).toBe(
      "Order Sync: 1 new, 0 updated, 1 could not be read (see Activity).",
    );
    const quarantined = (await backend.commands.recentActivity(50)).filter(
      (entry) => entry.kind === "quarantined",
    );
    expect(quarantined).toEqual([
      expect.objectContaining({ channel: "Sandbox Store", channel_order_id: "77", times_seen: 2 }),
    ]);
  });

  it("refuses a second pass while one runs", async () => {
    const backend = createMockBackend({ latencyMs: 5 });

    const first = backend.runSync("tray");
    const second = backend.commands.orderSync();

    await expect(second).rejects.toEqual({
      code: "already_running",
      message: "Order Sync is already running; wait for it to finish",
    });
    await expect(first).resolves.toMatchObject({ message: "Order Sync: 1 new, 0 updated." });
  });

  it("says so when no channel is connected", async () => {
    const backend = createMockBackend({ channels: [], activity: [] });
    const progress: SyncProgress[] = [];
    await backend.listen("sync-progress", (payload) => progress.push(payload));

    const report = await backend.commands.orderSync();

    expect(report).toMatchObject({
      channels: [],
      message: "No sales channel is connected: add one in Settings.",
    });
    expect(progress).toEqual([{ channel: "", pages: 0, orders: 0, finished: true }]);
    expect(await backend.commands.recentActivity(5)).toEqual([
      expect.objectContaining({ kind: "sync_run", channel: null, imported: 0 }),
    ]);
  });

  it("keeps given channels as given", async () => {
    const backend = createMockBackend({ channels: [sandboxChannel(), liveChannel({ id: 5 })] });

    expect((await backend.commands.listChannels()).map((c) => c.id)).toEqual([1, 5]);
    expect(await mode(backend)).toBe("live");
  });
});
