import { screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { PlacedTestOrder } from "../bindings";
import { commandError } from "../lib/backend/errors";
import type { MockOptions } from "../lib/backend/mock";
import { liveChannel, sandboxChannel } from "../lib/backend/mock-data";
import { deferred, renderReadyApp } from "../test/render-app";
import { ONBOARDING_POLL_MS } from "./checks";

/** Opens the Onboarding page and waits for the checklist. */
async function openOnboarding(options: MockOptions = {}) {
  const rendered = await renderReadyApp(options);
  await rendered.user.click(screen.getByTestId("nav-onboarding"));
  await screen.findAllByTestId("onboarding-check");
  return rendered;
}

/** A new install in the Sandbox: no orders yet. */
const FRESH: MockOptions = { orders: [], activity: [] };

function check(step: string): HTMLElement {
  const found = screen
    .getAllByTestId("onboarding-check")
    .find((element) => element.dataset.step === step);
  if (!found) throw new Error(`no check ${step}`);
  return found;
}

function doneFlags() {
  return screen.getAllByTestId("onboarding-check").map((element) => element.dataset.done);
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("Onboarding page", () => {
  it("ticks each check of the first order with its time, and says the dealer is ready to sell", async () => {
    const { backend } = await openOnboarding();

    const checks = screen.getAllByTestId("onboarding-check");
    expect(checks.map((element) => element.dataset.step)).toEqual([
      "imported",
      "routed_and_authorized",
      "tracking_synced",
    ]);
    expect(doneFlags()).toEqual(["true", "true", "true"]);
    const expected = await backend.commands.onboardingStatus();
    for (const [index, element] of checks.entries()) {
      const time = within(element).getByTestId("onboarding-check-time");
      expect(time).toHaveAttribute("datetime", expected.checks[index]?.done_at);
      expect(time.textContent?.trim()).toMatch(/^\d+\/\d+\/\d+, \d+:\d\d [AP]M$/);
      expect(within(element).getByTestId("onboarding-check-state")).toHaveTextContent("Done");
      expect(within(element).queryByTestId("onboarding-hint")).not.toBeInTheDocument();
    }
    expect(check("imported")).toHaveTextContent("Order imports from your sales channel");
    expect(check("routed_and_authorized")).toHaveTextContent(
      "Order is routed to US Direct and authorized for payment",
    );
    expect(check("tracking_synced")).toHaveTextContent("Tracking syncs back to your store");
    const complete = screen.getByTestId("onboarding-complete");
    expect(complete).toHaveTextContent("You're ready to sell");
    expect(complete).toHaveTextContent("Test order #1001 was imported");
    expect(screen.getByTestId("onboarding-test-order-label")).toHaveTextContent(
      "Test order: #1001 — change",
    );
    expect(screen.getByTestId("onboarding-test-order-why")).toHaveTextContent(
      "The first order imported",
    );
  });

  it("places a test order in the Sandbox, then Order Sync imports it and step 1 ticks", async () => {
    const { backend, user } = await openOnboarding(FRESH);
    expect(doneFlags()).toEqual(["false", "false", "false"]);
    expect(screen.queryByTestId("onboarding-complete")).not.toBeInTheDocument();
    expect(screen.getByTestId("onboarding-test-order-label")).toHaveTextContent(
      "Test order: none yet",
    );
    expect(within(check("imported")).getByTestId("onboarding-hint")).toHaveTextContent(
      "Place a test order in your store (in the Sandbox: Place a test order), then press Order Sync.",
    );
    expect(within(check("routed_and_authorized")).getByTestId("onboarding-hint")).toHaveTextContent(
      "Waiting for the test order.",
    );
    expect(within(check("imported")).queryByTestId("onboarding-check-time")).toBeNull();

    const pending = deferred<PlacedTestOrder>();
    const real = backend.commands.placeTestOrder;
    const place = vi
      .spyOn(backend.commands, "placeTestOrder")
      .mockImplementation(() => real().then((placed) => pending.promise.then(() => placed)));
    const button = screen.getByTestId("place-test-order");
    await user.click(button);
    expect(button).toBeDisabled();
    expect(button).toHaveTextContent("Placing…");
    await user.click(button);
    expect(place).toHaveBeenCalledTimes(1);
    pending.resolve({ number: "unused" });

    expect(await screen.findByTestId("place-test-order-result")).toHaveTextContent(
      "Placed order #1001 in the Sandbox store — now press Order Sync",
    );
    const sync = screen.getByTestId("onboarding-order-sync");
    await waitFor(() => expect(sync).toHaveFocus());
    expect(check("imported")).toHaveAttribute("data-done", "false");

    await user.click(sync);

    await waitFor(() => expect(check("imported")).toHaveAttribute("data-done", "true"));
    expect(screen.getByTestId("sync-status")).toHaveTextContent("Order Sync: 1 new, 0 updated.");
    const order = await backend.commands.getOrder(1);
    expect(order.customer_name).toBe("Taylor Tester");
    expect(within(check("imported")).getByTestId("onboarding-check-time")).toHaveAttribute(
      "datetime",
      order.events[0]?.at,
    );
    expect(screen.getByTestId("onboarding-test-order-label")).toHaveTextContent(
      "Test order: #1001 — change",
    );
    expect(within(check("routed_and_authorized")).getByTestId("onboarding-hint")).toHaveTextContent(
      "Being sent to US Direct",
    );
  });

  it("walks the test order through all three checks to the ready state", async () => {
    const { backend, user } = await openOnboarding(FRESH);
    await user.click(screen.getByTestId("place-test-order"));
    await user.click(await screen.findByTestId("onboarding-order-sync"));
    await waitFor(() => expect(check("imported")).toHaveAttribute("data-done", "true"));

    // US Direct invoices it; the window hears about it and the page follows.
    backend.runOutbox();
    const open = await screen.findByTestId("open-test-order");
    expect(within(check("routed_and_authorized")).getByTestId("onboarding-hint")).toHaveTextContent(
      "Awaiting authorization: open the order and press Authorize Order for Payment.",
    );
    expect(open).toHaveTextContent("Open order #1001");

    await user.click(open);
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Order #1001");
    expect(screen.getByTestId("order-back")).toHaveTextContent("Back to Onboarding");
    await user.click(await screen.findByTestId("authorize-order"));
    await screen.findByTestId("authorize-result");
    await user.click(screen.getByTestId("order-back"));

    await screen.findAllByTestId("onboarding-check");
    await waitFor(() =>
      expect(
        within(check("routed_and_authorized")).getByTestId("onboarding-hint"),
      ).toHaveTextContent("Authorized; waiting for US Direct to confirm the payment."),
    );

    // US Direct takes the payment, ships with UPS and the store confirms the tracking.
    backend.runOutbox();

    expect(await screen.findByTestId("onboarding-complete")).toHaveTextContent(
      "You're ready to sell",
    );
    expect(doneFlags()).toEqual(["true", "true", "true"]);
    expect(screen.queryByTestId("onboarding-hint")).not.toBeInTheDocument();
    expect(screen.getByTestId("onboarding-test-order-label")).toHaveTextContent("#1001");
  });

  it("offers an Order Sync and the order once it is paid, while tracking is awaited", async () => {
    const { backend, user } = await renderReadyApp();
    await backend.commands.markTestOrder(234); // #1234 is processing.
    await user.click(screen.getByTestId("nav-onboarding"));
    await screen.findAllByTestId("onboarding-check");

    expect(doneFlags()).toEqual(["true", "true", "false"]);
    const tracking = check("tracking_synced");
    expect(within(tracking).getByTestId("onboarding-hint")).toHaveTextContent(
      "No tracking yet: US Direct ships 2–4 business days after payment (the Sandbox ships in about 20 seconds; press Order Sync to check).",
    );
    const orderSync = vi.spyOn(backend.commands, "orderSync");
    await user.click(within(tracking).getByTestId("onboarding-order-sync"));
    expect(orderSync).toHaveBeenCalledTimes(1);
    await waitFor(() =>
      expect(screen.getByTestId("sync-status")).toHaveTextContent("Order Sync: 1 new"),
    );
    expect(within(tracking).getByTestId("open-test-order")).toHaveTextContent("Open order #1234");
  });

  it("says inline why Order Sync failed, and lets it run again", async () => {
    const { backend, user } = await renderReadyApp();
    await backend.commands.markTestOrder(234);
    await user.click(screen.getByTestId("nav-onboarding"));
    await screen.findAllByTestId("onboarding-check");
    vi.spyOn(backend.commands, "orderSync").mockRejectedValueOnce(
      commandError("storage", "The database failed: disk full"),
    );

    await user.click(screen.getByTestId("onboarding-order-sync"));

    expect(await screen.findByTestId("onboarding-sync-error")).toHaveTextContent(
      "Order Sync failed: The database failed: disk full",
    );
    expect(screen.getByTestId("onboarding-order-sync")).toBeEnabled();
    await user.click(screen.getByTestId("onboarding-order-sync"));
    await waitFor(() =>
      expect(screen.queryByTestId("onboarding-sync-error")).not.toBeInTheDocument(),
    );
  });

  it("shows why a test order could not be placed, and the button works again", async () => {
    const { backend, user } = await openOnboarding(FRESH);
    vi.spyOn(backend.commands, "placeTestOrder").mockRejectedValueOnce(
      commandError("invalid_input", "sandbox: the sandbox store did not take the order: HTTP 503"),
    );

    await user.click(screen.getByTestId("place-test-order"));

    expect(await screen.findByTestId("place-test-order-error")).toHaveTextContent(
      "Could not place the test order: sandbox: the sandbox store did not take the order: HTTP 503",
    );
    expect(screen.getByTestId("place-test-order-error")).toHaveAttribute("role", "alert");
    const button = screen.getByTestId("place-test-order");
    expect(button).toBeEnabled();
    await user.click(button);
    expect(await screen.findByTestId("place-test-order-result")).toHaveTextContent("#1001");
    expect(screen.queryByTestId("place-test-order-error")).not.toBeInTheDocument();
  });

  it("in live mode points to the store connection in Settings instead of placing an order", async () => {
    const { user } = await openOnboarding({
      ...FRESH,
      channels: [sandboxChannel(), liveChannel()],
    });

    expect(screen.queryByTestId("place-test-order")).not.toBeInTheDocument();
    expect(within(check("imported")).getByTestId("onboarding-order-sync")).toBeEnabled();
    await user.click(screen.getByTestId("onboarding-settings-link"));

    expect(screen.getByTestId("page-title")).toHaveTextContent("Settings");
  });

  it("changes the test order by its number, and says when there is no such order", async () => {
    const { backend, user } = await openOnboarding();
    const mark = vi.spyOn(backend.commands, "markTestOrder");
    const change = screen.getByTestId("change-test-order");
    expect(change).toHaveAttribute("aria-expanded", "false");

    await user.click(change);
    const input = screen.getByTestId("test-order-number");
    expect(input).toHaveFocus();
    expect(change).toHaveAttribute("aria-expanded", "true");

    await user.keyboard("{Enter}");
    expect(await screen.findByTestId("test-order-number-error")).toHaveTextContent(
      "Type the order number, such as 1001.",
    );
    await user.type(input, "99999{Enter}");
    expect(await screen.findByTestId("test-order-number-error")).toHaveTextContent(
      "No order #99999 has been imported.",
    );
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(mark).not.toHaveBeenCalled();

    await user.clear(input);
    await user.type(input, "#1239");
    await user.click(screen.getByTestId("use-test-order"));

    expect(mark).toHaveBeenCalledWith(239);
    await waitFor(() => expect(screen.queryByTestId("test-order-form")).not.toBeInTheDocument());
    expect(change).toHaveFocus();
    expect(screen.getByTestId("onboarding-test-order-label")).toHaveTextContent(
      "Test order: #1239 — change",
    );
    expect(screen.getByTestId("onboarding-test-order-why")).toHaveTextContent(
      "You chose this order.",
    );
    expect(screen.queryByTestId("onboarding-complete")).not.toBeInTheDocument();
    expect(doneFlags()).toEqual(["true", "false", "false"]);
    expect(screen.getByTestId("open-test-order")).toHaveTextContent("Open order #1239");
  });

  it("closes the order-number form with Escape and Cancel, leaving the test order as it was", async () => {
    const { user } = await openOnboarding();
    const change = screen.getByTestId("change-test-order");

    await user.click(change);
    await user.type(screen.getByTestId("test-order-number"), "1239{Escape}");
    expect(screen.queryByTestId("test-order-form")).not.toBeInTheDocument();
    expect(change).toHaveFocus();
    expect(screen.getByTestId("page-title")).toHaveTextContent("Onboarding");

    await user.keyboard("{Enter}");
    await user.click(screen.getByTestId("cancel-test-order"));
    expect(screen.queryByTestId("test-order-form")).not.toBeInTheDocument();
    expect(screen.getByTestId("onboarding-test-order-label")).toHaveTextContent("#1001");
  });

  it("replaces a cancelled test order with a new one placed in the Sandbox", async () => {
    const { backend, user } = await renderReadyApp();
    await backend.commands.markTestOrder(229); // #1229 was cancelled.
    await user.click(screen.getByTestId("nav-onboarding"));
    await screen.findAllByTestId("onboarding-check");
    const routed = check("routed_and_authorized");
    expect(within(routed).getByTestId("onboarding-hint")).toHaveTextContent(
      "The test order was cancelled: place another one.",
    );

    await user.click(within(routed).getByTestId("place-test-order"));
    expect(await screen.findByTestId("place-test-order-result")).toHaveTextContent(
      "Placed order #1241 in the Sandbox store",
    );
    // Not imported yet: the dealer is told to sync first.
    await user.click(screen.getByTestId("use-placed-order"));
    expect(await screen.findByTestId("use-placed-order-error")).toHaveTextContent(
      "No order #1241 has been imported",
    );

    await user.click(screen.getByTestId("onboarding-order-sync"));
    await waitFor(() =>
      expect(screen.getByTestId("sync-status")).toHaveTextContent("Order Sync: 1 new"),
    );
    await user.click(screen.getByTestId("use-placed-order"));

    await waitFor(() =>
      expect(screen.getByTestId("onboarding-test-order-label")).toHaveTextContent(
        "Test order: #1241",
      ),
    );
    expect(screen.queryByTestId("place-test-order-result")).not.toBeInTheDocument();
    expect(within(check("routed_and_authorized")).getByTestId("onboarding-hint")).toHaveTextContent(
      "Being sent to US Direct",
    );
  });

  it("reloads when the backend reports changes", async () => {
    const { backend } = await openOnboarding();
    expect(doneFlags()).toEqual(["true", "true", "true"]);

    await backend.commands.markTestOrder(240);
    backend.emit("activity-changed", { reason: "outbox" });

    await waitFor(() =>
      expect(screen.getByTestId("onboarding-test-order-label")).toHaveTextContent("#1240"),
    );
    expect(screen.queryByTestId("onboarding-complete")).not.toBeInTheDocument();
  });

  it("asks again every few seconds while in view and not complete", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const { backend } = await openOnboarding(FRESH);
    const status = vi.spyOn(backend.commands, "onboardingStatus");

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

    // The test order arrives by itself and ticks without a click.
    await backend.commands.placeTestOrder();
    await backend.runSync("schedule");
    // (The schedule's event reloads too; the poll would have found it regardless.)
    await waitFor(() => expect(check("imported")).toHaveAttribute("data-done", "true"));
    const before = status.mock.calls.length;
    vi.advanceTimersByTime(ONBOARDING_POLL_MS);
    expect(status).toHaveBeenCalledTimes(before + 1);
  });

  it("stops asking once the checklist is complete", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const { backend } = await openOnboarding();
    await screen.findByTestId("onboarding-complete");
    const status = vi.spyOn(backend.commands, "onboardingStatus");

    vi.advanceTimersByTime(ONBOARDING_POLL_MS * 4);
    document.dispatchEvent(new Event("visibilitychange"));

    expect(status).not.toHaveBeenCalled();
  });

  it("says when the checklist cannot be loaded, and tries again", async () => {
    const { backend, user } = await renderReadyApp();
    const status = vi
      .spyOn(backend.commands, "onboardingStatus")
      .mockRejectedValueOnce(commandError("storage", "The database failed: disk full"));

    await user.click(screen.getByTestId("nav-onboarding"));

    expect(await screen.findByTestId("load-error")).toHaveTextContent(
      "The checklist could not be loaded: The database failed: disk full",
    );
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("onboarding-complete")).toBeVisible();
    expect(status).toHaveBeenCalledTimes(2);
    expect(screen.queryByTestId("load-error")).not.toBeInTheDocument();
  });
});
