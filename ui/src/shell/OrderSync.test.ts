import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { SyncReport } from "../bindings";
import { fixture } from "../test/fixture";
import { deferred, renderOrdersApp, renderReadyApp } from "../test/render-app";

describe("Order Sync", () => {
  it("disables the button while it runs, then shows the backend's message", async () => {
    const { backend, user } = await renderReadyApp();
    const pending = deferred<SyncReport>();
    const orderSync = backend.commands.orderSync.mockReturnValue(pending.promise);

    const button = screen.getByTestId("order-sync");
    expect(button).toHaveTextContent("Order Sync");
    await user.click(button);

    expect(orderSync).toHaveBeenCalledTimes(1);
    expect(button).toBeDisabled();
    expect(button).toHaveTextContent("Syncing…");

    await user.click(button);
    expect(orderSync).toHaveBeenCalledTimes(1);

    pending.resolve(fixture("syncReport"));
    await waitFor(() => expect(button).toBeEnabled());
    expect(button).toHaveTextContent("Order Sync");
    const status = screen.getByTestId("sync-status");
    expect(status).toHaveTextContent(
      "Order Sync: 17 new, 0 updated, 1 could not be read (see Activity).",
    );
    expect(status).toHaveAttribute("role", "status");
    expect(status).not.toHaveClass("failed");
  });

  it("shows why it failed", async () => {
    const { backend, user } = await renderReadyApp();
    backend.commands.orderSync.mockRejectedValue(fixture("errorDatabase"));

    await user.click(screen.getByTestId("order-sync"));

    const status = await screen.findByRole("alert");
    expect(status).toHaveAttribute("data-testid", "sync-status");
    expect(status).toHaveTextContent(
      "Order Sync failed: The database failed: attempted to acquire a connection on a closed pool",
    );
    expect(status).toHaveClass("failed");
    expect(screen.getByTestId("order-sync")).toBeEnabled();
  });

  it("says calmly that a sync is already running", async () => {
    const { backend, user } = await renderReadyApp();
    backend.commands.orderSync.mockRejectedValue(fixture("errorSyncAlreadyRunning"));

    await user.click(screen.getByTestId("order-sync"));

    const status = screen.getByTestId("sync-status");
    await waitFor(() => expect(status).toHaveTextContent("Order Sync is already running"));
    expect(status).not.toHaveTextContent("failed");
    expect(status).not.toHaveClass("failed");
    expect(status).toHaveAttribute("role", "status");
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("shows the message as an error when a channel failed", async () => {
    const { user } = await renderReadyApp(({ commands }) => {
      commands.appStatus.mockResolvedValue(fixture("appStatusLive"));
      commands.orderSync.mockResolvedValue(fixture("syncReportFailed"));
    });

    await user.click(screen.getByTestId("order-sync"));

    const status = await screen.findByRole("alert");
    expect(status).toHaveAttribute("data-testid", "sync-status");
    expect(status).toHaveTextContent(fixture("syncReportFailed").message);
    expect(status).toHaveTextContent("Main store: the store refused the credentials");
    expect(status).toHaveClass("failed");
  });

  it("reloads the order list with what it imported", async () => {
    const { backend, user } = await renderOrdersApp(({ commands }) => {
      commands.listOrders.mockResolvedValue(fixture("ordersBeforeBulkAuthorize"));
      commands.orderSync.mockResolvedValue(fixture("syncReportNewOrder"));
    });
    const before = await screen.findAllByTestId("order-row");
    expect(within(before[0] as HTMLElement).getByTestId("order-number")).toHaveTextContent("#1017");
    backend.commands.listOrders.mockResolvedValue(fixture("orders"));

    await user.click(screen.getByTestId("order-sync"));

    await waitFor(() =>
      expect(screen.getByTestId("sync-status")).toHaveTextContent(
        "Order Sync: 1 new, 0 updated, 1 could not be read (see Activity).",
      ),
    );
    await waitFor(() => {
      const first = screen.getAllByTestId("order-row")[0] as HTMLElement;
      expect(within(first).getByTestId("order-number")).toHaveTextContent("#1019");
    });
  });
});

describe("Order Sync progress", () => {
  it("shows where a pass is while it runs and hides it when it is finished", async () => {
    const { backend } = await renderReadyApp();
    expect(screen.queryByTestId("sync-progress")).not.toBeInTheDocument();

    backend.emit("sync-progress", {
      channel: "Sandbox Store",
      pages: 1,
      orders: 1,
      finished: false,
    });
    expect(await screen.findByTestId("sync-progress")).toHaveTextContent(
      "Syncing Sandbox Store… page 1 · 1 order",
    );

    backend.emit("sync-progress", {
      channel: "Sandbox Store",
      pages: 3,
      orders: 1250,
      finished: false,
    });
    await waitFor(() =>
      expect(screen.getByTestId("sync-progress")).toHaveTextContent(
        "Syncing Sandbox Store… page 3 · 1,250 orders",
      ),
    );

    backend.emit("sync-progress", { channel: "", pages: 3, orders: 1, finished: true });
    await waitFor(() => expect(screen.queryByTestId("sync-progress")).not.toBeInTheDocument());
  });

  it("keeps the button busy while a sync started elsewhere runs", async () => {
    const { backend, user } = await renderReadyApp();
    const button = screen.getByTestId("order-sync");

    backend.emit("sync-progress", {
      channel: "Main store",
      pages: 2,
      orders: 250,
      finished: false,
    });

    await waitFor(() => expect(button).toBeDisabled());
    expect(button).toHaveTextContent("Syncing…");
    expect(screen.getByTestId("sync-progress")).toHaveTextContent(
      "Syncing Main store… page 2 · 250 orders",
    );
    await user.click(button);
    expect(backend.commands.orderSync).not.toHaveBeenCalled();

    backend.emit("sync-progress", { channel: "", pages: 2, orders: 250, finished: true });
    await waitFor(() => expect(button).toBeEnabled());
    expect(button).toHaveTextContent("Order Sync");
  });

  it("shows the orders a long first sync has imported so far while it still runs", async () => {
    const { backend } = await renderOrdersApp(({ commands }) => {
      commands.listOrders.mockResolvedValue({ ...fixture("orders"), orders: [], total: 0 });
    });
    await screen.findByTestId("orders-total");
    expect(screen.queryAllByTestId("order-row")).toHaveLength(0);

    backend.emit("sync-progress", {
      channel: "Main store",
      pages: 3,
      orders: 300,
      finished: false,
    });
    await screen.findByTestId("sync-progress");
    backend.commands.listOrders.mockResolvedValue(fixture("orders"));
    // What the engine sends while a sync still imports (at most once a second).
    backend.emit("activity-changed", { reason: "imported" });

    await waitFor(() => expect(screen.getAllByTestId("order-row")).toHaveLength(18));
    expect(screen.getByTestId("sync-progress")).toHaveTextContent("Main store");
    expect(screen.getByTestId("order-sync")).toBeDisabled();
  });

  it("stops showing progress when a scheduled pass ends without its last event", async () => {
    const { backend } = await renderReadyApp();

    backend.emit("sync-progress", { channel: "Main store", pages: 1, orders: 50, finished: false });
    await screen.findByTestId("sync-progress");
    backend.emit("activity-changed", { reason: "scheduled_sync" });

    await waitFor(() => expect(screen.queryByTestId("sync-progress")).not.toBeInTheDocument());
    expect(screen.getByTestId("order-sync")).toBeEnabled();
  });

  it("shows each page of its own pass as the backend reports it", async () => {
    const { backend, user } = await renderReadyApp();
    const [starting, first, second, finished] = fixture("syncProgress");
    const pending = deferred<SyncReport>();
    backend.commands.orderSync.mockReturnValue(pending.promise);

    await user.click(screen.getByTestId("order-sync"));
    for (const progress of [starting, first, second]) {
      if (progress) backend.emit("sync-progress", progress);
    }

    expect(await screen.findByTestId("sync-progress")).toHaveTextContent(
      "Syncing Sandbox Store… page 2 · 17 orders",
    );
    if (finished) backend.emit("sync-progress", finished);
    pending.resolve(fixture("syncReport"));
    await waitFor(() => expect(screen.getByTestId("order-sync")).toBeEnabled());
    expect(screen.queryByTestId("sync-progress")).not.toBeInTheDocument();
  });
});
