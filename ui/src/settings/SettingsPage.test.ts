import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { AppStatus } from "../bindings";
import { fixture } from "../test/fixture";
import { renderApp, renderReadyApp, type TestBackend } from "../test/render-app";

/** The sandbox store's status with another plan (the dealer's choice, shown as is). */
function withPlan(status: AppStatus, plan: "basic" | "plus" | "vip"): AppStatus {
  return status.state === "ready" ? { ...status, plan } : status;
}

/** The commands that change a setting answer with what they set, as the shell does. */
function settingsEcho({ commands }: TestBackend) {
  commands.setSyncPaused.mockImplementation(async (paused) => ({ paused }));
  commands.setPlan.mockImplementation(async (plan) => plan);
  commands.setShipmentNotifications.mockImplementation(async (on) => on);
}

describe("Settings page", () => {
  it("shows the store's facts, fetched fresh when the page opens", async () => {
    const { backend, user } = await renderReadyApp();
    backend.commands.appStatus.mockClear();

    await user.click(screen.getByTestId("nav-settings"));

    expect(backend.commands.appStatus).toHaveBeenCalledTimes(1);
    expect(await screen.findByTestId("store-order-count")).toHaveTextContent("18");
    expect(screen.getByTestId("store-data-dir")).toHaveTextContent(
      "/home/dealer/.local/share/com.dealerportal.desktop",
    );
    expect(screen.getByTestId("store-key-source")).toHaveTextContent("OS keyring");
    expect(screen.getByTestId("store-mode")).toHaveTextContent("Sandbox");
    expect(screen.getByTestId("store-version")).toHaveTextContent("0.1.0");
  });

  it("counts the orders apart from the status, again when orders change", async () => {
    const { backend, user } = await renderReadyApp();
    await user.click(screen.getByTestId("nav-settings"));
    expect(await screen.findByTestId("store-order-count")).toHaveTextContent("18");

    backend.commands.orderCount.mockResolvedValue({ count: 1234 });
    backend.emit("activity-changed", { reason: "order_sync" });
    await waitFor(() => expect(screen.getByTestId("store-order-count")).toHaveTextContent("1,234"));

    // A count that fails leaves the other facts standing and says so.
    backend.commands.orderCount.mockRejectedValue({ code: "internal", message: "disk" });
    backend.emit("activity-changed", { reason: "order_sync" });
    await waitFor(() =>
      expect(screen.getByTestId("store-order-count")).toHaveTextContent("Could not be counted"),
    );
    expect(screen.getByTestId("store-mode")).toHaveTextContent("Sandbox");
  });

  it("says the key comes from the passphrase after a passphrase unlock", async () => {
    const { user } = await renderApp(({ commands }) => {
      commands.appStatus
        .mockResolvedValueOnce(fixture("appStatusLockedPassphrase"))
        .mockResolvedValue(fixture("appStatusUnlockedPassphrase"));
      commands.unlock.mockResolvedValue(fixture("appStatusUnlockedPassphrase"));
    });
    await user.type(await screen.findByTestId("unlock-passphrase"), "correct horse{Enter}");

    await user.click(await screen.findByTestId("nav-settings"));

    expect(await screen.findByTestId("store-key-source")).toHaveTextContent("Passphrase");
  });

  it("pauses scheduled syncing and shows the chip", async () => {
    const { backend, user } = await renderReadyApp(settingsEcho);
    await user.click(screen.getByTestId("nav-settings"));

    const checkbox = await screen.findByLabelText("Pause scheduled syncing");
    expect(checkbox).toHaveAttribute("data-testid", "pause-sync");
    expect(checkbox).not.toBeChecked();

    await user.click(checkbox);
    expect(backend.commands.setSyncPaused).toHaveBeenCalledWith(true);
    expect(await screen.findByTestId("sync-paused")).toHaveTextContent("Syncing paused");
    expect(checkbox).toBeChecked();

    await user.click(checkbox);
    expect(backend.commands.setSyncPaused).toHaveBeenLastCalledWith(false);
    await waitFor(() => expect(screen.queryByTestId("sync-paused")).not.toBeInTheDocument());
    expect(checkbox).not.toBeChecked();
  });

  it("puts the box back and says why when pausing fails", async () => {
    const { user } = await renderReadyApp(({ commands }) => {
      commands.setSyncPaused.mockRejectedValue(fixture("errorDatabase"));
    });
    await user.click(screen.getByTestId("nav-settings"));

    const checkbox = await screen.findByTestId("pause-sync");
    await user.click(checkbox);

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The database failed: attempted to acquire a connection on a closed pool",
    );
    expect(checkbox).not.toBeChecked();
    expect(screen.queryByTestId("sync-paused")).not.toBeInTheDocument();
  });

  it("shows the plan and how often it imports", async () => {
    const { user } = await renderReadyApp(({ commands }) => {
      commands.appStatus.mockResolvedValue(withPlan(fixture("appStatusSandbox"), "vip"));
    });
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
    const { backend, user } = await renderReadyApp(settingsEcho);
    await user.click(screen.getByTestId("nav-settings"));
    const select = await screen.findByTestId("plan-select");
    expect(select).toHaveValue("plus");

    await user.selectOptions(select, "basic");

    expect(backend.commands.setPlan).toHaveBeenCalledWith("basic");
    await waitFor(() =>
      expect(screen.getByTestId("plan-interval")).toHaveTextContent(
        "Order Sync runs on its own every hour.",
      ),
    );
    expect(select).toHaveValue("basic");

    await user.selectOptions(select, "Plus — every 15 minutes");
    expect(backend.commands.setPlan).toHaveBeenLastCalledWith("plus");
    await waitFor(() =>
      expect(screen.getByTestId("plan-interval")).toHaveTextContent("every 15 minutes"),
    );
  });

  it("mentions a paused schedule next to the plan", async () => {
    const { user } = await renderReadyApp(({ commands }) => {
      commands.appStatus.mockResolvedValue(fixture("appStatusSandboxPaused"));
    });
    await user.click(screen.getByTestId("nav-settings"));

    expect(await screen.findByTestId("plan-interval")).toHaveTextContent(
      "Order Sync runs on its own every 15 minutes. Scheduled syncing is paused: orders are imported only when you click Order Sync.",
    );
  });

  it("puts the plan back and says why when changing it fails", async () => {
    const { user } = await renderReadyApp(({ commands }) => {
      commands.setPlan.mockRejectedValue(fixture("errorDatabase"));
    });
    await user.click(screen.getByTestId("nav-settings"));
    const select = await screen.findByTestId("plan-select");

    await user.selectOptions(select, "basic");

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Could not change the plan: The database failed: attempted to acquire a connection on a closed pool",
    );
    expect(select).toHaveValue("plus");
    expect(screen.getByTestId("plan-interval")).toHaveTextContent("every 15 minutes");
  });

  it("turns shipment notifications off and on, and explains them", async () => {
    const { backend, user } = await renderReadyApp(settingsEcho);
    const set = backend.commands.setShipmentNotifications;
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

    await user.keyboard(" ");
    expect(set).toHaveBeenLastCalledWith(true);
    await waitFor(() => expect(toggle).toBeChecked());
  });

  it("shows the notification setting the store holds", async () => {
    const { user } = await renderReadyApp(({ commands }) => {
      commands.shipmentNotifications.mockResolvedValue(false);
    });
    await user.click(screen.getByTestId("nav-settings"));

    const toggle = await screen.findByTestId("notify-shipments-toggle");
    await waitFor(() => expect(toggle).toBeEnabled());
    expect(toggle).not.toBeChecked();
  });

  it("puts the notification box back and says why when the change fails", async () => {
    const { user } = await renderReadyApp(({ commands }) => {
      commands.setShipmentNotifications.mockRejectedValue(fixture("errorDatabase"));
    });
    await user.click(screen.getByTestId("nav-settings"));
    const toggle = await screen.findByTestId("notify-shipments-toggle");
    await waitFor(() => expect(toggle).toBeEnabled());

    await user.click(toggle);

    expect(await screen.findByTestId("notify-shipments-error")).toHaveTextContent(
      "Could not change notifications: The database failed: attempted to acquire a connection on a closed pool",
    );
    expect(toggle).toBeChecked();
    expect(toggle).toBeEnabled();
  });

  it("says when the notification setting cannot be read, and reads it again", async () => {
    const { user } = await renderReadyApp(({ commands }) => {
      commands.shipmentNotifications.mockRejectedValueOnce(fixture("errorDatabase"));
    });
    await user.click(screen.getByTestId("nav-settings"));

    const error = await screen.findByTestId("notify-shipments-error");
    expect(error).toHaveTextContent("Could not read this setting: The database failed");
    const toggle = screen.getByTestId("notify-shipments-toggle");
    expect(toggle).toBeDisabled();

    await user.click(within(error).getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(toggle).toBeEnabled());
    expect(toggle).toBeChecked();
    expect(screen.queryByTestId("notify-shipments-error")).not.toBeInTheDocument();
  });
});

describe("Start at login", () => {
  it("writes and removes the login entry, and says it starts in the tray", async () => {
    const { backend, user } = await renderReadyApp(({ commands }) => {
      commands.setAutostart.mockImplementation(async (on) => on);
    });
    await user.click(screen.getByTestId("nav-settings"));

    const toggle = await screen.findByLabelText("Start Dealer Portal when I log in");
    expect(toggle).toHaveAttribute("data-testid", "autostart-toggle");
    await waitFor(() => expect(toggle).toBeEnabled());
    expect(toggle).not.toBeChecked();
    expect(toggle).toHaveAccessibleDescription(expect.stringContaining("in the tray"));
    expect(toggle).toHaveAccessibleDescription(expect.stringContaining("Quit"));

    await user.click(toggle);
    expect(backend.commands.setAutostart).toHaveBeenCalledWith(true);
    await waitFor(() => expect(toggle).toBeChecked());

    await user.click(toggle);
    expect(backend.commands.setAutostart).toHaveBeenLastCalledWith(false);
    await waitFor(() => expect(toggle).not.toBeChecked());
  });

  it("shows the entry that is there, and puts the box back with why when a change fails", async () => {
    const { user } = await renderReadyApp(({ commands }) => {
      commands.autostartEnabled.mockResolvedValue(true);
      commands.setAutostart.mockRejectedValue({
        code: "internal",
        message:
          "could not remove the login entry (Permission denied); check that ~/.config/autostart is writable",
      });
    });
    await user.click(screen.getByTestId("nav-settings"));
    const toggle = await screen.findByTestId("autostart-toggle");
    await waitFor(() => expect(toggle).toBeEnabled());
    expect(toggle).toBeChecked();

    await user.click(toggle);

    expect(await screen.findByTestId("autostart-error")).toHaveTextContent(
      "Could not change starting at login: could not remove the login entry (Permission denied)",
    );
    expect(toggle).toBeChecked();
    expect(toggle).toBeEnabled();
  });

  it("says when it cannot be read, and reads it again", async () => {
    const { user } = await renderReadyApp(({ commands }) => {
      commands.autostartEnabled.mockRejectedValueOnce({
        code: "internal",
        message: "could not read whether Dealer Portal starts at login: no home directory",
      });
    });
    await user.click(screen.getByTestId("nav-settings"));

    const error = await screen.findByTestId("autostart-error");
    expect(error).toHaveTextContent("Could not read this setting: could not read whether");
    const toggle = screen.getByTestId("autostart-toggle");
    expect(toggle).toBeDisabled();

    await user.click(within(error).getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(toggle).toBeEnabled());
    expect(screen.queryByTestId("autostart-error")).not.toBeInTheDocument();
  });
});

describe("Late orders and problems", () => {
  it("shows and changes when an order is Late and which problems notify", async () => {
    const { backend, user } = await renderReadyApp(({ commands }) => {
      commands.lateAfterBusinessDays.mockResolvedValue(4);
      commands.setLateAfterBusinessDays.mockImplementation(async (days) => days);
      commands.setProblemNotifications.mockImplementation(async (wanted) => wanted);
    });
    await user.click(screen.getByTestId("nav-settings"));

    const days = await screen.findByTestId("late-after-days");
    await waitFor(() => expect(days).toBeEnabled());
    expect(days).toHaveValue(4);
    await user.clear(days);
    await user.type(days, "2");
    await user.tab();
    await waitFor(() => expect(backend.commands.setLateAfterBusinessDays).toHaveBeenCalledWith(2));

    const declined = screen.getByTestId("notify-problem-declined");
    await waitFor(() => expect(declined).toBeEnabled());
    expect(declined).toBeChecked();
    await user.click(declined);
    await waitFor(() =>
      expect(backend.commands.setProblemNotifications).toHaveBeenCalledWith({
        declined: false,
        refused: true,
        invalid_tracking: true,
        late: true,
      }),
    );
    await waitFor(() => expect(declined).not.toBeChecked());
  });

  it("keeps what the store holds and says why when a change is refused", async () => {
    const { user } = await renderReadyApp(({ commands }) => {
      commands.setLateAfterBusinessDays.mockRejectedValue(fixture("errorDatabase"));
    });
    await user.click(screen.getByTestId("nav-settings"));
    const days = await screen.findByTestId("late-after-days");
    await waitFor(() => expect(days).toBeEnabled());
    await user.clear(days);
    await user.type(days, "9");
    await user.tab();
    expect(await screen.findByTestId("problems-settings-error")).toHaveTextContent(
      "Could not change this setting: The database failed",
    );
    await waitFor(() => expect(days).toHaveValue(4));
  });
});
