import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { MOCK_PASSPHRASE } from "../lib/backend/mock";
import { seedOrders } from "../lib/backend/mock-data";
import { renderApp, renderReadyApp } from "../test/render-app";

describe("Settings page", () => {
  it("shows the store's facts, fetched fresh when the page opens", async () => {
    const { backend, user } = await renderReadyApp({ orders: seedOrders(1234), mode: "sandbox" });
    const appStatus = vi.spyOn(backend.commands, "appStatus");

    await user.click(screen.getByTestId("nav-settings"));

    expect(appStatus).toHaveBeenCalledTimes(1);
    expect(await screen.findByTestId("store-order-count")).toHaveTextContent("1,234");
    expect(screen.getByTestId("store-data-dir")).toHaveTextContent("com.dealerportal.desktop");
    expect(screen.getByTestId("store-key-source")).toHaveTextContent("OS keyring");
    expect(screen.getByTestId("store-mode")).toHaveTextContent("Sandbox");
    expect(screen.getByTestId("store-version")).toHaveTextContent("0.1.0");
  });

  it("says the key comes from the passphrase after a passphrase unlock", async () => {
    const { user } = await renderApp({ locked: "existing" });
    await user.type(await screen.findByTestId("unlock-passphrase"), `${MOCK_PASSPHRASE}{Enter}`);

    await user.click(await screen.findByTestId("nav-settings"));

    expect(await screen.findByTestId("store-key-source")).toHaveTextContent("Passphrase");
  });

  it("pauses scheduled syncing and shows the chip", async () => {
    const { backend, user } = await renderReadyApp({ syncPaused: false });
    const setSyncPaused = vi.spyOn(backend.commands, "setSyncPaused");
    await user.click(screen.getByTestId("nav-settings"));

    const checkbox = await screen.findByLabelText("Pause scheduled syncing");
    expect(checkbox).toHaveAttribute("data-testid", "pause-sync");
    expect(checkbox).not.toBeChecked();

    await user.click(checkbox);
    expect(setSyncPaused).toHaveBeenCalledWith(true);
    expect(await screen.findByTestId("sync-paused")).toHaveTextContent("Syncing paused");
    expect(checkbox).toBeChecked();

    await user.click(checkbox);
    expect(setSyncPaused).toHaveBeenLastCalledWith(false);
    await waitFor(() => expect(screen.queryByTestId("sync-paused")).not.toBeInTheDocument());
    expect(checkbox).not.toBeChecked();
  });

  it("puts the box back and says why when pausing fails", async () => {
    const { backend, user } = await renderReadyApp({ syncPaused: false });
    vi.spyOn(backend.commands, "setSyncPaused").mockRejectedValue({
      code: "internal",
      message: "The scheduler is not running.",
    });
    await user.click(screen.getByTestId("nav-settings"));

    const checkbox = await screen.findByTestId("pause-sync");
    await user.click(checkbox);

    expect(await screen.findByRole("alert")).toHaveTextContent("The scheduler is not running.");
    expect(checkbox).not.toBeChecked();
    expect(screen.queryByTestId("sync-paused")).not.toBeInTheDocument();
  });

  it("shows the plan and how often it imports", async () => {
    const { user } = await renderReadyApp({ plan: "vip" });
    await user.click(screen.getByTestId("nav-settings"));

    const select = await screen.findByLabelText("US Direct plan");
    expect(select).toHaveAttribute("data-testid", "plan-select");
    expect(select).toHaveValue("vip");
    const options = within(select)
      .getAllByRole("option")
      .map((option) => option.textContent);
    expect(options).toEqual([
      "Basic — imports hourly",
      "Plus — every 15 minutes",
      "VIP — every 15 minutes",
    ]);
    expect(screen.getByTestId("plan-interval")).toHaveTextContent(
      "Order Sync runs on its own every 15 minutes.",
    );
    expect(select).toHaveAccessibleDescription(expect.stringContaining("every 15 minutes"));
  });

  it("changes the plan through the backend", async () => {
    const { backend, user } = await renderReadyApp({ plan: "plus" });
    const setPlan = vi.spyOn(backend.commands, "setPlan");
    await user.click(screen.getByTestId("nav-settings"));
    const select = await screen.findByTestId("plan-select");

    await user.selectOptions(select, "basic");

    expect(setPlan).toHaveBeenCalledWith("basic");
    await waitFor(() =>
      expect(screen.getByTestId("plan-interval")).toHaveTextContent(
        "Order Sync runs on its own every hour.",
      ),
    );
    expect(select).toHaveValue("basic");
    const status = await backend.commands.appStatus();
    expect(status.state === "ready" && status.plan).toBe("basic");

    await user.selectOptions(select, "Plus — every 15 minutes");
    expect(setPlan).toHaveBeenLastCalledWith("plus");
    await waitFor(() =>
      expect(screen.getByTestId("plan-interval")).toHaveTextContent("every 15 minutes"),
    );
  });

  it("mentions a paused schedule next to the plan", async () => {
    const { user } = await renderReadyApp({ plan: "basic", syncPaused: true });
    await user.click(screen.getByTestId("nav-settings"));

    expect(await screen.findByTestId("plan-interval")).toHaveTextContent(
      "Order Sync runs on its own every hour. Scheduled syncing is paused: orders are imported only when you click Order Sync.",
    );
  });

  it("puts the plan back and says why when changing it fails", async () => {
    const { backend, user } = await renderReadyApp({ plan: "plus" });
    vi.spyOn(backend.commands, "setPlan").mockRejectedValue({
      code: "storage",
      message: "The database failed: disk full",
    });
    await user.click(screen.getByTestId("nav-settings"));
    const select = await screen.findByTestId("plan-select");

    await user.selectOptions(select, "basic");

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Could not change the plan: The database failed: disk full",
    );
    expect(select).toHaveValue("plus");
    expect(screen.getByTestId("plan-interval")).toHaveTextContent("every 15 minutes");
  });

  it("turns shipment notifications off and on, and explains them", async () => {
    const { backend, user } = await renderReadyApp();
    const set = vi.spyOn(backend.commands, "setShipmentNotifications");
    await user.click(screen.getByTestId("nav-settings"));

    const toggle = await screen.findByLabelText("Notify me when an order ships");
    expect(toggle).toHaveAttribute("data-testid", "notify-shipments-toggle");
    await waitFor(() => expect(toggle).toBeEnabled());
    expect(toggle).toBeChecked();
    expect(toggle).toHaveAccessibleDescription(expect.stringContaining("desktop notification"));
    expect(toggle).toHaveAccessibleDescription(expect.stringContaining("“Latest shipment”"));

    await user.click(toggle);
    expect(set).toHaveBeenCalledWith(false);
    await waitFor(() => expect(toggle).not.toBeChecked());
    expect(await backend.commands.shipmentNotifications()).toBe(false);

    await user.keyboard(" ");
    expect(set).toHaveBeenLastCalledWith(true);
    await waitFor(() => expect(toggle).toBeChecked());
    expect(await backend.commands.shipmentNotifications()).toBe(true);
  });

  it("shows the notification setting the store holds", async () => {
    const { user } = await renderReadyApp({ shipmentNotifications: false });
    await user.click(screen.getByTestId("nav-settings"));

    const toggle = await screen.findByTestId("notify-shipments-toggle");
    await waitFor(() => expect(toggle).toBeEnabled());
    expect(toggle).not.toBeChecked();
  });

  it("puts the notification box back and says why when the change fails", async () => {
    const { backend, user } = await renderReadyApp();
    vi.spyOn(backend.commands, "setShipmentNotifications").mockRejectedValue({
      code: "storage",
      message: "The database failed: disk full",
    });
    await user.click(screen.getByTestId("nav-settings"));
    const toggle = await screen.findByTestId("notify-shipments-toggle");
    await waitFor(() => expect(toggle).toBeEnabled());

    await user.click(toggle);

    expect(await screen.findByTestId("notify-shipments-error")).toHaveTextContent(
      "Could not change notifications: The database failed: disk full",
    );
    expect(toggle).toBeChecked();
    expect(toggle).toBeEnabled();
  });

  it("says when the notification setting cannot be read, and reads it again", async () => {
    const { backend, user } = await renderReadyApp();
    vi.spyOn(backend.commands, "shipmentNotifications").mockRejectedValueOnce({
      code: "store_locked",
      message: "The store is locked: unlock it first",
    });
    await user.click(screen.getByTestId("nav-settings"));

    const error = await screen.findByTestId("notify-shipments-error");
    expect(error).toHaveTextContent("Could not read this setting: The store is locked");
    const toggle = screen.getByTestId("notify-shipments-toggle");
    expect(toggle).toBeDisabled();

    await user.click(within(error).getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(toggle).toBeEnabled());
    expect(toggle).toBeChecked();
    expect(screen.queryByTestId("notify-shipments-error")).not.toBeInTheDocument();
  });
});
