import { fireEvent, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { fixture } from "../test/fixture";
import { renderReadyApp } from "../test/render-app";

const NAV = [
  ["nav-onboarding", "Onboarding"],
  ["nav-dashboard", "Dashboard"],
  ["nav-orders", "Orders"],
  ["nav-statement", "Statement"],
  ["nav-settings", "Settings"],
  ["nav-activity", "Activity"],
] as const;

describe("the window", () => {
  it("opens on the onboarding guide, with the six pages in the sidebar, in order", async () => {
    await renderReadyApp();

    expect(screen.getByTestId("page-title")).toHaveTextContent("Onboarding");
    const nav = screen.getByRole("navigation");
    const labels = Array.from(nav.querySelectorAll("button")).map((b) => b.dataset.testid);
    expect(labels).toEqual(NAV.map(([testid]) => testid));
    expect(screen.getByTestId("nav-onboarding")).toHaveAttribute("aria-current", "page");
  });

  it("opens on the Dashboard, first in the sidebar, once the live test order passed its checks", async () => {
    const { backend } = await renderReadyApp(({ commands }) => {
      commands.appStatus.mockResolvedValue(fixture("appStatusLiveOnboarded"));
    });

    expect(screen.getByTestId("page-title")).toHaveTextContent("Dashboard");
    expect(screen.getByTestId("nav-dashboard")).toHaveAttribute("aria-current", "page");
    const nav = screen.getByRole("navigation");
    const labels = Array.from(nav.querySelectorAll("button")).map((b) => b.dataset.testid);
    expect(labels).toEqual([
      "nav-dashboard",
      "nav-orders",
      "nav-statement",
      "nav-settings",
      "nav-activity",
      "nav-onboarding",
    ]);
    expect(backend.commands.onboardingStatus).not.toHaveBeenCalled();
    await waitFor(() =>
      expect(backend.commands.dashboard).toHaveBeenCalledWith(
        expect.objectContaining({ environment: "live" }),
      ),
    );
  });

  it("opens on the page last opened, once the live test order passed its checks", async () => {
    const first = await renderReadyApp(({ commands }) => {
      commands.appStatus.mockResolvedValue(fixture("appStatusLiveOnboarded"));
      commands.listJobs.mockResolvedValue([]);
    });
    await first.user.click(screen.getByTestId("nav-statement"));
    expect(screen.getByTestId("page-title")).toHaveTextContent("Statement");
    first.unmount();

    await renderReadyApp(({ commands }) => {
      commands.appStatus.mockResolvedValue(fixture("appStatusLiveOnboarded"));
    });
    expect(screen.getByTestId("page-title")).toHaveTextContent("Statement");
    expect(screen.getByTestId("nav-statement")).toHaveAttribute("aria-current", "page");
  });

  it("keeps the onboarding guide first until the live test order passed, whatever was open last", async () => {
    const first = await renderReadyApp();
    await first.user.click(screen.getByTestId("nav-settings"));
    first.unmount();

    await renderReadyApp();
    expect(screen.getByTestId("page-title")).toHaveTextContent("Onboarding");
  });

  it("quits with Ctrl+Q, as the tray's Quit does", async () => {
    const { backend } = await renderReadyApp(({ commands }) => {
      commands.quit.mockResolvedValue(null);
    });

    fireEvent.keyDown(window, { key: "q", code: "KeyQ", ctrlKey: true });
    expect(backend.commands.quit).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(window, { key: "q", code: "KeyQ" });
    expect(backend.commands.quit).toHaveBeenCalledTimes(1);
  });

  it("switches pages from the sidebar and marks the current one", async () => {
    const { user } = await renderReadyApp();

    for (const [testid, title] of NAV) {
      await user.click(screen.getByTestId(testid));
      expect(screen.getByTestId("page-title")).toHaveTextContent(title);
      expect(screen.getByTestId(testid)).toHaveAttribute("aria-current", "page");
      const others = NAV.filter(([other]) => other !== testid);
      for (const [other] of others) {
        expect(screen.getByTestId(other)).not.toHaveAttribute("aria-current");
      }
    }
  });

  it("reaches the sidebar with the keyboard", async () => {
    const { user } = await renderReadyApp();

    screen.getByTestId("nav-dashboard").focus();
    await user.keyboard("{Tab}");
    expect(screen.getByTestId("nav-orders")).toHaveFocus();
    await user.keyboard("{Tab}{Enter}");
    expect(screen.getByTestId("page-title")).toHaveTextContent("Statement");
  });

  it("switches pages with Alt+1 to Alt+6", async () => {
    await renderReadyApp();

    for (const [index, [, title]] of NAV.entries()) {
      const digit = String(index + 1);
      await fireEvent.keyDown(window, { key: digit, code: `Digit${digit}`, altKey: true });
      expect(screen.getByTestId("page-title")).toHaveTextContent(title);
    }
    // A plain digit, without Alt, is typing and not a shortcut.
    await fireEvent.keyDown(window, { key: "2", code: "Digit2" });
    expect(screen.getByTestId("page-title")).toHaveTextContent("Activity");
  });

  it("shows the pause chip when the tray pauses syncing", async () => {
    const { backend } = await renderReadyApp();
    expect(screen.queryByTestId("sync-paused")).toBeNull();

    backend.emit("sync-paused-changed", { paused: true });
    expect(await screen.findByTestId("sync-paused")).toBeVisible();
  });

  it("labels the Sandbox in sandbox mode", async () => {
    await renderReadyApp();

    const badge = screen.getByTestId("sandbox-badge");
    expect(badge).toHaveTextContent("Sandbox");
    expect(screen.getByText(/nothing real is charged or shipped/)).toBeVisible();
    expect(screen.queryByTestId("live-badge")).not.toBeInTheDocument();
  });

  it("shows a Live label instead of the Sandbox one in live mode", async () => {
    await renderReadyApp(({ commands }) => {
      commands.appStatus.mockResolvedValue(fixture("appStatusLive"));
    });

    expect(screen.queryByTestId("sandbox-badge")).not.toBeInTheDocument();
    expect(screen.queryByText(/nothing real is charged/)).not.toBeInTheDocument();
    expect(screen.getByTestId("live-badge")).toHaveTextContent("Live");
    expect(screen.getByText(/charged and shipped for real/)).toBeVisible();
  });

  it("shows the Syncing paused chip when the backend says syncing is paused", async () => {
    const { backend, user } = await renderReadyApp();

    expect(screen.queryByTestId("sync-paused")).not.toBeInTheDocument();
    backend.emit("sync-paused-changed", { paused: true });
    const chip = await screen.findByTestId("sync-paused");
    expect(chip).toHaveTextContent("Syncing paused");

    await user.click(chip);
    expect(screen.getByTestId("page-title")).toHaveTextContent("Settings");

    backend.emit("sync-paused-changed", { paused: false });
    await waitFor(() => expect(screen.queryByTestId("sync-paused")).not.toBeInTheDocument());
  });

  it("starts with the chip when the store opened paused", async () => {
    await renderReadyApp(({ commands }) => {
      commands.appStatus.mockResolvedValue(fixture("appStatusSandboxPaused"));
    });

    expect(screen.getByTestId("sync-paused")).toBeVisible();
  });

  it("opens an order's page when the tray asks for it", async () => {
    const shipped = fixture("orderShipped");
    const { backend, user } = await renderReadyApp(({ commands }) => {
      commands.getOrder.mockResolvedValue(shipped);
    });
    await user.click(screen.getByTestId("nav-activity"));

    backend.emit("open-order", { order_id: shipped.id });

    expect(await screen.findByTestId("order-page")).toBeVisible();
    await waitFor(() => expect(screen.getByTestId("page-title")).toHaveTextContent("Order #1001"));
    expect(backend.commands.getOrder).toHaveBeenCalledWith(shipped.id);
    expect(screen.getByTestId("order-back")).toHaveTextContent("Back to Activity");
  });

  it("opens Activity when the tray's background-work item asks for it", async () => {
    const { backend } = await renderReadyApp();
    backend.emit("open-activity", {});
    await waitFor(() => expect(screen.getByTestId("page-title")).toHaveTextContent("Activity"));
  });

  it("re-reads the store's status when the backend reports a change", async () => {
    const { backend } = await renderReadyApp();
    expect(screen.getByTestId("sandbox-badge")).toBeVisible();
    expect(backend.commands.appStatus).toHaveBeenCalledTimes(1);

    // A store connected outside this page: the status now says live.
    backend.commands.appStatus.mockResolvedValue(fixture("appStatusLive"));
    backend.emit("activity-changed", { reason: "channels_changed" });

    await waitFor(() => expect(screen.queryByTestId("sandbox-badge")).not.toBeInTheDocument());
    expect(screen.getByTestId("live-badge")).toBeVisible();
    expect(backend.commands.appStatus).toHaveBeenCalledTimes(2);
  });
});
