import { screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ListOrders, PlacedTestOrder } from "../bindings";
import { fixture } from "../test/fixture";
import { deferred, renderReadyApp, type TestBackend } from "../test/render-app";
import { ONBOARDING_POLL_MS } from "./checks";

// The Sandbox rehearsal: its test order and three checks, in the guide's first step. The steps
// to Live are in `OnboardingGuide.test.ts`.

/** Opens the Onboarding page and waits for the rehearsal's checklist. */
async function openOnboarding(setup: (backend: TestBackend) => void = () => {}) {
  const rendered = await renderReadyApp(setup);
  await rendered.user.click(screen.getByTestId("nav-onboarding"));
  await screen.findByTestId("sandbox-checks");
  return rendered;
}

/** Queries inside the rehearsal's panel (the live test order has one of its own). */
function sandbox() {
  return within(screen.getByTestId("sandbox-checks"));
}

/** A new install in the Sandbox: nothing imported yet. */
function fresh({ commands }: TestBackend) {
  commands.appStatus.mockResolvedValue(fixture("appStatusSandboxNew"));
  commands.listOrders.mockResolvedValue(fixture("ordersEmpty"));
  commands.recentActivity.mockResolvedValue([]);
  commands.onboardingStatus.mockResolvedValue(fixture("onboardingNone"));
}

/** `list_orders` for a search by number, as the order-number form sends it. */
function searchFor(number: string): ListOrders {
  return { status: null, search: number, limit: 100, offset: 0 };
}

function check(step: string): HTMLElement {
  const found = sandbox()
    .getAllByTestId("onboarding-check")
    .find((element) => element.dataset.step === step);
  if (!found) throw new Error(`no check ${step}`);
  return found;
}

function doneFlags() {
  return sandbox()
    .getAllByTestId("onboarding-check")
    .map((element) => element.dataset.done);
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("Onboarding page", () => {
  it("ticks each check of the first sandbox order with its time, and says the rehearsal is done", async () => {
    await openOnboarding();
    const expected = fixture("onboardingComplete");

    const checks = sandbox().getAllByTestId("onboarding-check");
    expect(checks.map((element) => element.dataset.step)).toEqual([
      "imported",
      "routed_and_authorized",
      "tracking_synced",
    ]);
    expect(doneFlags()).toEqual(["true", "true", "true"]);
    for (const [index, element] of checks.entries()) {
      const time = within(element).getByTestId("onboarding-check-time");
      expect(time).toHaveAttribute("datetime", expected.sandbox_rehearsal.checks[index]?.done_at);
      expect(time.textContent?.trim()).toMatch(/^\d+\/\d+\/\d+, \d+:\d\d [AP]M$/);
      expect(within(element).getByTestId("onboarding-check-state")).toHaveTextContent("Done");
      expect(within(element).queryByTestId("onboarding-hint")).not.toBeInTheDocument();
    }
    expect(check("imported")).toHaveTextContent("Order imports from your sales channel");
    expect(check("routed_and_authorized")).toHaveTextContent(
      "Order is routed to US Direct and authorized for payment",
    );
    expect(check("tracking_synced")).toHaveTextContent("Tracking syncs back to your store");
    expect(screen.getByTestId("rehearsal-complete")).toHaveTextContent(
      "Rehearsal done: the Sandbox test order passed all three checks.",
    );
    // Selling waits for the live test order, not for the rehearsal.
    expect(screen.queryByTestId("onboarding-complete")).not.toBeInTheDocument();
    expect(sandbox().getByTestId("onboarding-test-order-label")).toHaveTextContent(
      "Test order: #1001 — change",
    );
    expect(sandbox().getByTestId("onboarding-test-order-why")).toHaveTextContent(
      "The first order imported",
    );
  });

  it("places a test order in the Sandbox, then Order Sync imports it and step 1 ticks", async () => {
    const { backend, user } = await openOnboarding(fresh);
    expect(doneFlags()).toEqual(["false", "false", "false"]);
    expect(screen.queryByTestId("onboarding-complete")).not.toBeInTheDocument();
    expect(sandbox().getByTestId("onboarding-test-order-label")).toHaveTextContent(
      "Test order: none yet",
    );
    expect(within(check("imported")).getByTestId("onboarding-hint")).toHaveTextContent(
      "Press Place a test order: a shopper orders one $4.99 item in the Sandbox store. Then press Order Sync.",
    );
    expect(within(check("routed_and_authorized")).getByTestId("onboarding-hint")).toHaveTextContent(
      "Waiting for the test order.",
    );
    expect(within(check("imported")).queryByTestId("onboarding-check-time")).toBeNull();

    const pending = deferred<PlacedTestOrder>();
    const place = backend.commands.placeTestOrder.mockReturnValue(pending.promise);
    const button = screen.getByTestId("place-test-order");
    await user.click(button);
    expect(button).toBeDisabled();
    expect(button).toHaveTextContent("Placing…");
    await user.click(button);
    expect(place).toHaveBeenCalledTimes(1);
    pending.resolve(fixture("placedTestOrderFirst"));

    expect(await screen.findByTestId("place-test-order-result")).toHaveTextContent(
      "Placed order #1001 in the Sandbox store — now press Order Sync",
    );
    const sync = sandbox().getByTestId("onboarding-order-sync");
    await waitFor(() => expect(sync).toHaveFocus());
    expect(check("imported")).toHaveAttribute("data-done", "false");
    backend.commands.orderSync.mockResolvedValue(fixture("syncReport"));
    backend.commands.onboardingStatus.mockResolvedValue(fixture("onboardingImported"));

    await user.click(sync);

    await waitFor(() => expect(check("imported")).toHaveAttribute("data-done", "true"));
    expect(backend.commands.orderSync).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId("sync-status")).toHaveTextContent(fixture("syncReport").message);
    expect(within(check("imported")).getByTestId("onboarding-check-time")).toHaveAttribute(
      "datetime",
      fixture("onboardingImported").sandbox_rehearsal.checks[0]?.done_at,
    );
    expect(sandbox().getByTestId("onboarding-test-order-label")).toHaveTextContent(
      "Test order: #1001 — change",
    );
    expect(within(check("routed_and_authorized")).getByTestId("onboarding-hint")).toHaveTextContent(
      "Being sent to US Direct",
    );
  });

  it("walks the sandbox test order through all three checks to the rehearsal's end", async () => {
    const { backend, user } = await openOnboarding(({ commands }) => {
      commands.onboardingStatus.mockResolvedValue(fixture("onboardingImported"));
    });
    expect(doneFlags()).toEqual(["true", "false", "false"]);

    // US Direct invoices it; the window hears about it and the page follows.
    backend.commands.onboardingStatus.mockResolvedValue(fixture("onboardingAwaitingAuthorization"));
    backend.emit("activity-changed", { reason: "outbox" });
    const open = await sandbox().findByTestId("open-test-order");
    expect(within(check("routed_and_authorized")).getByTestId("onboarding-hint")).toHaveTextContent(
      "Awaiting authorization: open the order and press Authorize Order for Payment.",
    );
    expect(open).toHaveTextContent("Open order #1001");

    backend.commands.getOrder.mockResolvedValue(fixture("orderAwaitingAuthorization"));
    await user.click(open);
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Order #1001");
    expect(backend.commands.getOrder).toHaveBeenCalledWith(1);
    expect(screen.getByTestId("order-back")).toHaveTextContent("Back to Onboarding");
    backend.commands.authorizeOrders.mockResolvedValue(fixture("authorizeQueued"));
    backend.commands.getOrder.mockResolvedValue(fixture("orderAuthorized"));
    await user.click(await screen.findByTestId("authorize-order"));
    await screen.findByTestId("authorize-result");
    backend.commands.onboardingStatus.mockResolvedValue(fixture("onboardingAuthorized"));
    await user.click(screen.getByTestId("order-back"));

    await screen.findAllByTestId("onboarding-check");
    await waitFor(() =>
      expect(
        within(check("routed_and_authorized")).getByTestId("onboarding-hint"),
      ).toHaveTextContent("Authorized; waiting for US Direct to confirm the payment."),
    );

    // US Direct takes the payment, ships with UPS and the store confirms the tracking.
    backend.commands.onboardingStatus.mockResolvedValue(fixture("onboardingComplete"));
    backend.emit("activity-changed", { reason: "outbox" });

    expect(await screen.findByTestId("rehearsal-complete")).toBeVisible();
    expect(doneFlags()).toEqual(["true", "true", "true"]);
    expect(sandbox().queryByTestId("onboarding-hint")).not.toBeInTheDocument();
    expect(screen.queryByTestId("onboarding-complete")).not.toBeInTheDocument();
    expect(sandbox().getByTestId("onboarding-test-order-label")).toHaveTextContent("#1001");
  });

  it("says tracking arrived and is on its way to the store", async () => {
    await openOnboarding(({ commands }) => {
      commands.onboardingStatus.mockResolvedValue(fixture("onboardingShipped"));
    });

    expect(doneFlags()).toEqual(["true", "true", "false"]);
    expect(within(check("tracking_synced")).getByTestId("onboarding-hint")).toHaveTextContent(
      "Tracking arrived; it is being written to your store",
    );
  });

  it("offers an Order Sync and the order once it is paid, while tracking is awaited", async () => {
    const { backend, user } = await openOnboarding(({ commands }) => {
      commands.onboardingStatus.mockResolvedValue(fixture("onboardingProcessing"));
      commands.orderSync.mockResolvedValue(fixture("syncReportNewOrder"));
    });

    expect(doneFlags()).toEqual(["true", "true", "false"]);
    const tracking = check("tracking_synced");
    expect(within(tracking).getByTestId("onboarding-hint")).toHaveTextContent(
      "No tracking yet: the Sandbox's US Direct ships about 20 seconds after payment; press Order Sync to check.",
    );
    await user.click(within(tracking).getByTestId("onboarding-order-sync"));
    expect(backend.commands.orderSync).toHaveBeenCalledTimes(1);
    await waitFor(() =>
      expect(screen.getByTestId("sync-status")).toHaveTextContent("Order Sync: 1 new"),
    );
    expect(within(tracking).getByTestId("open-test-order")).toHaveTextContent("Open order #1001");
  });

  it("says inline why Order Sync failed, and lets it run again", async () => {
    const { backend, user } = await openOnboarding(({ commands }) => {
      commands.onboardingStatus.mockResolvedValue(fixture("onboardingProcessing"));
      commands.orderSync.mockResolvedValue(fixture("syncReportNewOrder"));
      commands.orderSync.mockRejectedValueOnce(fixture("errorDatabase"));
    });

    await user.click(sandbox().getByTestId("onboarding-order-sync"));

    expect(await sandbox().findByTestId("onboarding-sync-error")).toHaveTextContent(
      "Order Sync failed: The database failed: attempted to acquire a connection on a closed pool",
    );
    expect(sandbox().getByTestId("onboarding-order-sync")).toBeEnabled();
    await user.click(sandbox().getByTestId("onboarding-order-sync"));
    await waitFor(() =>
      expect(sandbox().queryByTestId("onboarding-sync-error")).not.toBeInTheDocument(),
    );
    expect(backend.commands.orderSync).toHaveBeenCalledTimes(2);
  });

  it("shows why a test order could not be placed, and the button works again", async () => {
    const { backend, user } = await openOnboarding((backend) => {
      fresh(backend);
      backend.commands.placeTestOrder.mockResolvedValue(fixture("placedTestOrderFirst"));
      backend.commands.placeTestOrder.mockRejectedValueOnce(fixture("errorDatabase"));
    });

    await user.click(screen.getByTestId("place-test-order"));

    expect(await screen.findByTestId("place-test-order-error")).toHaveTextContent(
      "Could not place the test order: The database failed: attempted to acquire a connection on a closed pool",
    );
    expect(screen.getByTestId("place-test-order-error")).toHaveAttribute("role", "alert");
    const button = screen.getByTestId("place-test-order");
    expect(button).toBeEnabled();
    await user.click(button);
    expect(await screen.findByTestId("place-test-order-result")).toHaveTextContent("#1001");
    expect(screen.queryByTestId("place-test-order-error")).not.toBeInTheDocument();
    expect(backend.commands.placeTestOrder).toHaveBeenCalledTimes(2);
  });

  it("changes the test order by its number, and says when there is no such order", async () => {
    const { backend, user } = await openOnboarding(({ commands }) => {
      commands.listOrders.mockImplementation(async (query) =>
        query.search === "99999" ? fixture("ordersSearchNoMatch") : fixture("orders"),
      );
      commands.markTestOrder.mockResolvedValue(fixture("onboardingMarked"));
    });
    const change = sandbox().getByTestId("change-test-order");
    expect(change).toHaveAttribute("aria-expanded", "false");

    await user.click(change);
    const input = sandbox().getByTestId("test-order-number");
    expect(input).toHaveFocus();
    expect(change).toHaveAttribute("aria-expanded", "true");

    await user.keyboard("{Enter}");
    expect(await sandbox().findByTestId("test-order-number-error")).toHaveTextContent(
      "Type the order number, such as 1001.",
    );
    await user.type(input, "99999{Enter}");
    expect(await sandbox().findByTestId("test-order-number-error")).toHaveTextContent(
      "No order #99999 has been imported.",
    );
    expect(backend.commands.listOrders).toHaveBeenLastCalledWith(searchFor("99999"));
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(backend.commands.markTestOrder).not.toHaveBeenCalled();

    await user.clear(input);
    await user.type(input, "#1010");
    await user.click(sandbox().getByTestId("use-test-order"));

    expect(backend.commands.listOrders).toHaveBeenLastCalledWith(searchFor("1010"));
    expect(backend.commands.markTestOrder).toHaveBeenCalledWith(10, "sandbox");
    await waitFor(() => expect(sandbox().queryByTestId("test-order-form")).not.toBeInTheDocument());
    expect(change).toHaveFocus();
    expect(sandbox().getByTestId("onboarding-test-order-label")).toHaveTextContent(
      "Test order: #1010 — change",
    );
    expect(sandbox().getByTestId("onboarding-test-order-why")).toHaveTextContent(
      "You chose this order.",
    );
    expect(screen.queryByTestId("onboarding-complete")).not.toBeInTheDocument();
    expect(doneFlags()).toEqual(["true", "false", "false"]);
    expect(within(check("routed_and_authorized")).getByTestId("onboarding-hint")).toHaveTextContent(
      "Authorized; waiting for US Direct to confirm the payment.",
    );
  });

  it("closes the order-number form with Escape and Cancel, leaving the test order as it was", async () => {
    const { backend, user } = await openOnboarding();
    const change = sandbox().getByTestId("change-test-order");

    await user.click(change);
    await user.type(sandbox().getByTestId("test-order-number"), "1010{Escape}");
    expect(sandbox().queryByTestId("test-order-form")).not.toBeInTheDocument();
    expect(change).toHaveFocus();
    expect(screen.getByTestId("page-title")).toHaveTextContent("Onboarding");

    await user.keyboard("{Enter}");
    await user.click(sandbox().getByTestId("cancel-test-order"));
    expect(sandbox().queryByTestId("test-order-form")).not.toBeInTheDocument();
    expect(sandbox().getByTestId("onboarding-test-order-label")).toHaveTextContent("#1001");
    expect(backend.commands.markTestOrder).not.toHaveBeenCalled();
  });

  it("replaces a cancelled test order with a new one placed in the Sandbox", async () => {
    const { backend, user } = await openOnboarding(({ commands }) => {
      commands.onboardingStatus.mockResolvedValue(fixture("onboardingCancelled"));
      commands.placeTestOrder.mockResolvedValue(fixture("placedTestOrder"));
      commands.listOrders.mockResolvedValue(fixture("ordersSearchPlacedNone"));
    });
    const routed = check("routed_and_authorized");
    expect(within(routed).getByTestId("onboarding-hint")).toHaveTextContent(
      "The test order was cancelled: place another one.",
    );

    await user.click(within(routed).getByTestId("place-test-order"));
    expect(await screen.findByTestId("place-test-order-result")).toHaveTextContent(
      "Placed order #1019 in the Sandbox store",
    );
    // Not imported yet: the dealer is told to sync first.
    await user.click(screen.getByTestId("use-placed-order"));
    expect(await screen.findByTestId("use-placed-order-error")).toHaveTextContent(
      "No order #1019 has been imported",
    );
    expect(backend.commands.listOrders).toHaveBeenLastCalledWith(searchFor("1019"));

    backend.commands.orderSync.mockResolvedValue(fixture("syncReportNewOrder"));
    backend.commands.listOrders.mockResolvedValue(fixture("ordersSearchPlaced"));
    await user.click(sandbox().getByTestId("onboarding-order-sync"));
    await waitFor(() =>
      expect(screen.getByTestId("sync-status")).toHaveTextContent("Order Sync: 1 new"),
    );
    backend.commands.markTestOrder.mockResolvedValue(fixture("onboardingNewTestOrder"));
    await user.click(screen.getByTestId("use-placed-order"));

    await waitFor(() =>
      expect(sandbox().getByTestId("onboarding-test-order-label")).toHaveTextContent(
        "Test order: #1019",
      ),
    );
    expect(backend.commands.markTestOrder).toHaveBeenCalledWith(18, "sandbox");
    expect(screen.queryByTestId("place-test-order-result")).not.toBeInTheDocument();
    expect(within(check("routed_and_authorized")).getByTestId("onboarding-hint")).toHaveTextContent(
      "Being sent to US Direct",
    );
  });

  it("reloads when the backend reports changes", async () => {
    const { backend } = await openOnboarding();
    expect(doneFlags()).toEqual(["true", "true", "true"]);

    backend.commands.onboardingStatus.mockResolvedValue(fixture("onboardingMarked"));
    backend.emit("activity-changed", { reason: "outbox" });

    await waitFor(() =>
      expect(sandbox().getByTestId("onboarding-test-order-label")).toHaveTextContent("#1010"),
    );
    expect(screen.queryByTestId("onboarding-complete")).not.toBeInTheDocument();
  });

  it("asks again every few seconds while in view and not complete", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const { backend } = await openOnboarding(fresh);
    const status = backend.commands.onboardingStatus;
    status.mockClear();

    vi.advanceTimersByTime(ONBOARDING_POLL_MS);
    expect(status).toHaveBeenCalledTimes(1);

    // Hidden windows do not ask.
    const visibility = vi.spyOn(document, "visibilityState", "get").mockReturnValue("hidden");
    vi.advanceTimersByTime(ONBOARDING_POLL_MS * 3);
    expect(status).toHaveBeenCalledTimes(1);

    // Back in view: at once, and on the beat again.
    visibility.mockReturnValue("visible");
    document.dispatchEvent(new Event("visibilitychange"));
    expect(status).toHaveBeenCalledTimes(2);

    // The test order arrives by itself (the schedule's Order Sync) and ticks without a click.
    status.mockResolvedValue(fixture("onboardingImported"));
    backend.emit("activity-changed", { reason: "scheduled_sync" });
    await waitFor(() => expect(check("imported")).toHaveAttribute("data-done", "true"));
    const before = status.mock.calls.length;
    vi.advanceTimersByTime(ONBOARDING_POLL_MS);
    expect(status).toHaveBeenCalledTimes(before + 1);
  });

  it("stops asking once the live test order passed its checks", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const { backend } = await openOnboarding(({ commands }) => {
      commands.onboardingStatus.mockResolvedValue(fixture("onboardingLiveComplete"));
    });
    await screen.findByTestId("onboarding-complete");
    const status = backend.commands.onboardingStatus;
    status.mockClear();

    vi.advanceTimersByTime(ONBOARDING_POLL_MS * 4);
    document.dispatchEvent(new Event("visibilitychange"));

    expect(status).not.toHaveBeenCalled();
  });

  it("says when the guide cannot be loaded, and tries again", async () => {
    const { backend, user } = await renderReadyApp(({ commands }) => {
      commands.onboardingStatus.mockRejectedValueOnce(fixture("errorDatabase"));
    });

    expect(await screen.findByTestId("load-error")).toHaveTextContent(
      "The guide could not be loaded: The database failed: attempted to acquire a connection on a closed pool",
    );
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("rehearsal-complete")).toBeVisible();
    expect(backend.commands.onboardingStatus).toHaveBeenCalledTimes(2);
    expect(screen.queryByTestId("load-error")).not.toBeInTheDocument();
  });
});
