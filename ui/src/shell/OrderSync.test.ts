import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { SyncReport } from "../bindings";
import { commandError } from "../lib/backend/errors";
import { deferred, renderReadyApp } from "../test/render-app";

describe("Order Sync", () => {
  it("disables the button while it runs, then shows the backend's message", async () => {
    const { backend, user } = await renderReadyApp();
    const pending = deferred<SyncReport>();
    const orderSync = vi.spyOn(backend.commands, "orderSync").mockReturnValue(pending.promise);

    const button = screen.getByTestId("order-sync");
    expect(button).toHaveTextContent("Order Sync");
    await user.click(button);

    expect(orderSync).toHaveBeenCalledTimes(1);
    expect(button).toBeDisabled();
    expect(button).toHaveTextContent("Syncing…");

    await user.click(button);
    expect(orderSync).toHaveBeenCalledTimes(1);

    pending.resolve({
      started_at: "2025-11-27T09:00:00Z",
      imported: 3,
      message: "Imported 3 new orders.",
    });
    await waitFor(() => expect(button).toBeEnabled());
    expect(button).toHaveTextContent("Order Sync");
    expect(screen.getByTestId("sync-status")).toHaveTextContent("Imported 3 new orders.");
  });

  it("shows why it failed", async () => {
    const { backend, user } = await renderReadyApp();
    vi.spyOn(backend.commands, "orderSync").mockRejectedValue(
      commandError("already_running", "An Order Sync is already running."),
    );

    await user.click(screen.getByTestId("order-sync"));

    const status = await screen.findByRole("alert");
    expect(status).toHaveAttribute("data-testid", "sync-status");
    expect(status).toHaveTextContent("Order Sync failed: An Order Sync is already running.");
    expect(screen.getByTestId("order-sync")).toBeEnabled();
  });

  it("reloads the order list with what it imported", async () => {
    const { user } = await renderReadyApp({ mode: "sandbox" });
    const before = await screen.findAllByTestId("order-row");
    expect(within(before[0] as HTMLElement).getByTestId("order-number")).toHaveTextContent("#1240");

    await user.click(screen.getByTestId("order-sync"));

    expect(await screen.findByTestId("sync-status")).toHaveTextContent("Imported 1 new order.");
    await waitFor(() => {
      const first = screen.getAllByTestId("order-row")[0] as HTMLElement;
      expect(within(first).getByTestId("order-number")).toHaveTextContent("#1241");
    });
  });
});
