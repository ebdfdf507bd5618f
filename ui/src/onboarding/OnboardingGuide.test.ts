// The guide from the Sandbox to Live: the window opens on it, it names what is missing next, each
// step's button goes where that step is done, and "Start selling!" waits for the live test order.
// The rehearsal's own checklist is in `OnboardingPage.test.ts`.

import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { Onboarding } from "../bindings";
import { fixture } from "../test/fixture";
import { renderReadyApp, type TestBackend } from "../test/render-app";

/** Opens the window as the backend answers `onboarding`, and waits for the guide. */
async function openGuide(onboarding: Onboarding, setup: (backend: TestBackend) => void = () => {}) {
  const rendered = await renderReadyApp((backend) => {
    backend.commands.onboardingStatus.mockResolvedValue(onboarding);
    setup(backend);
  });
  await screen.findAllByTestId("guide-step");
  return rendered;
}

function step(name: string): HTMLElement {
  const found = screen
    .getAllByTestId("guide-step")
    .find((element) => element.dataset.step === name);
  if (!found) throw new Error(`no step ${name}`);
  return found;
}

/** The steps as "name: done", in order. */
function stepStates(): string[] {
  return screen
    .getAllByTestId("guide-step")
    .map((element) => `${element.dataset.step}: ${element.dataset.done}`);
}

/** The step marked as the one the guide asks for now. */
function current(): string | undefined {
  return screen
    .getAllByTestId("guide-step")
    .find((element) => element.getAttribute("aria-current") === "step")?.dataset.step;
}

function live() {
  return within(screen.getByTestId("live-checks"));
}

describe("Onboarding guide", () => {
  it("is where a new install opens, with the store as the first thing selling waits for", async () => {
    const { user } = await openGuide(fixture("onboardingNone"), ({ commands }) => {
      commands.appStatus.mockResolvedValue(fixture("appStatusSandboxNew"));
      commands.listOrders.mockResolvedValue(fixture("ordersEmpty"));
    });

    expect(screen.getByTestId("page-title")).toHaveTextContent("Onboarding");
    expect(screen.getByTestId("nav-onboarding")).toHaveAttribute("aria-current", "page");
    expect(stepStates()).toEqual([
      "rehearse_in_sandbox: false",
      "connect_store: false",
      "connect_supplier: false",
      "place_live_test_order: false",
      "live_checks: false",
    ]);
    expect(step("rehearse_in_sandbox")).toHaveTextContent("Rehearse in the Sandbox Optional");
    expect(current()).toBe("connect_store");
    expect(within(step("connect_store")).getByTestId("guide-hint")).toHaveTextContent(
      "Add your Shopify, WooCommerce or BigCommerce store in Settings → Sales channels.",
    );
    expect(within(step("place_live_test_order")).getByTestId("guide-hint")).toHaveTextContent(
      "Connect your store first",
    );
    // The rehearsal is offered first, with its own button.
    expect(within(step("rehearse_in_sandbox")).getByTestId("place-test-order")).toBeEnabled();
    expect(screen.queryByTestId("onboarding-complete")).not.toBeInTheDocument();

    await user.click(screen.getByTestId("onboarding-connect-store"));

    expect(screen.getByTestId("page-title")).toHaveTextContent("Settings");
    await waitFor(() => expect(document.getElementById("channels-heading")).toHaveFocus());
    expect(screen.getByTestId("nav-settings")).toHaveAttribute("aria-current", "page");
  });

  it("asks for US Direct once the store is connected, and opens Settings there", async () => {
    const { user } = await openGuide(fixture("onboardingLiveStore"), ({ commands }) => {
      commands.appStatus.mockResolvedValue(fixture("appStatusLive"));
    });

    expect(step("connect_store")).toHaveAttribute("data-done", "true");
    expect(within(step("connect_store")).queryByRole("button")).toBeNull();
    expect(current()).toBe("connect_supplier");
    expect(within(step("connect_supplier")).getByTestId("guide-hint")).toHaveTextContent(
      "Enter your US Direct API URL and token in Settings → US Direct.",
    );
    // The rehearsal stays on offer beside Live.
    expect(within(step("rehearse_in_sandbox")).getByTestId("place-test-order")).toBeEnabled();

    await user.click(screen.getByTestId("onboarding-connect-supplier"));

    expect(screen.getByTestId("page-title")).toHaveTextContent("Settings");
  });

  it("then asks for a real low-dollar order, which Order Sync brings in as the live test order", async () => {
    const { backend, user } = await openGuide(
      fixture("onboardingLiveConnected"),
      ({ commands }) => {
        commands.appStatus.mockResolvedValue(fixture("appStatusLive"));
        commands.orderSync.mockResolvedValue(fixture("syncReportNewOrder"));
      },
    );
    expect(current()).toBe("place_live_test_order");
    const place = step("place_live_test_order");
    expect(within(place).getByTestId("guide-hint")).toHaveTextContent(
      "Place a real low-dollar order in your store",
    );
    expect(live().getByTestId("onboarding-test-order-label")).toHaveTextContent(
      "Test order: none yet",
    );

    backend.commands.onboardingStatus.mockResolvedValue(fixture("onboardingLiveImported"));
    await user.click(within(place).getByTestId("onboarding-order-sync"));

    await waitFor(() => expect(current()).toBe("live_checks"));
    expect(backend.commands.orderSync).toHaveBeenCalledTimes(1);
    expect(step("place_live_test_order")).toHaveAttribute("data-done", "true");
    expect(live().getByTestId("onboarding-test-order-label")).toHaveTextContent(
      "Test order: #1001",
    );
    const checks = live().getAllByTestId("onboarding-check");
    expect(checks.map((element) => element.dataset.done)).toEqual(["true", "false", "false"]);
    expect(within(checks[1] as HTMLElement).getByTestId("onboarding-hint")).toHaveTextContent(
      "Being sent to US Direct",
    );
    expect(screen.queryByTestId("onboarding-complete")).not.toBeInTheDocument();
  });

  it("opens the live test order when it waits for authorization", async () => {
    const { backend, user } = await openGuide(
      fixture("onboardingLiveAwaitingAuthorization"),
      ({ commands }) => commands.appStatus.mockResolvedValue(fixture("appStatusLive")),
    );
    const open = live().getByTestId("open-test-order");
    expect(open).toHaveTextContent("Open order #1001");
    backend.commands.getOrder.mockResolvedValue(fixture("orderAwaitingAuthorization"));

    await user.click(open);

    expect(await screen.findByTestId("order-back")).toHaveTextContent("Back to Onboarding");
    const id = fixture("onboardingLiveAwaitingAuthorization").live.test_order?.id;
    expect(backend.commands.getOrder).toHaveBeenCalledWith(id);
  });

  it("chooses the live test order by number, and says why a Sandbox order cannot be it", async () => {
    const { backend, user } = await openGuide(fixture("onboardingLiveImported"), ({ commands }) => {
      commands.appStatus.mockResolvedValue(fixture("appStatusLive"));
      commands.listOrders.mockResolvedValue(fixture("orders"));
      commands.markTestOrder.mockRejectedValue(fixture("errorLiveTestOrderFromSandbox"));
    });

    await user.click(live().getByTestId("change-test-order"));
    await user.type(live().getByTestId("test-order-number"), "1001{Enter}");

    expect(await live().findByTestId("test-order-number-error")).toHaveTextContent(
      "#1001 is an order from the Sandbox store; the live test order must be a real order from your own store",
    );
    expect(backend.commands.markTestOrder).toHaveBeenCalledWith(1, "live");
    expect(live().getByTestId("onboarding-test-order-label")).toHaveTextContent("#1001");
  });

  it("says Start selling! only once the live test order passed all three checks", async () => {
    const { user } = await openGuide(fixture("onboardingLiveComplete"), ({ commands }) => {
      commands.appStatus.mockResolvedValue(fixture("appStatusLive"));
    });

    const complete = screen.getByTestId("onboarding-complete");
    expect(complete).toHaveTextContent("Start selling!");
    expect(complete).toHaveTextContent("Test order #1001 was imported from your store");
    expect(stepStates().slice(1)).toEqual([
      "connect_store: true",
      "connect_supplier: true",
      "place_live_test_order: true",
      "live_checks: true",
    ]);
    expect(current()).toBeUndefined();
    expect(
      live()
        .getAllByTestId("onboarding-check")
        .map((element) => element.dataset.done),
    ).toEqual(["true", "true", "true"]);

    await user.click(within(complete).getByRole("button", { name: "Go to Orders" }));
    expect(screen.getByTestId("page-title")).toHaveTextContent("Orders");
  });
});
