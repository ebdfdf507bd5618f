import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { AuthorizeOutcome } from "../bindings";
import { commandError } from "../lib/backend/errors";
import type { MockOptions } from "../lib/backend/mock";
import { deferred, renderReadyApp } from "../test/render-app";

/** Opens an order of the default mock from the Orders list, by its number. */
async function openOrder(number: string, options: MockOptions = {}) {
  const rendered = await renderReadyApp(options);
  await screen.findAllByTestId("order-row");
  await rendered.user.type(screen.getByTestId("orders-search"), `${number}{Enter}`);
  await waitFor(() => expect(screen.getByTestId("order-number")).toHaveTextContent(`#${number}`));
  await rendered.user.click(screen.getByTestId("order-customer"));
  await screen.findAllByTestId("timeline-row");
  return rendered;
}

function status() {
  return screen.getByTestId("order-status");
}

function timeline() {
  return screen.getAllByTestId("timeline-row").map((row) => row.textContent?.replace(/\s+/g, " "));
}

describe("Order page", () => {
  it("shows the order: items, ship-to, totals, US Direct's invoice, margin, shipments, timeline, jobs", async () => {
    await openOrder("1231");

    expect(screen.getByTestId("page-title")).toHaveTextContent("Order #1231");
    expect(status()).toHaveTextContent("Shipped");
    expect(screen.getByTestId("order-channel")).toHaveTextContent("Sandbox Store");
    expect(screen.queryByTestId("authorize-order")).not.toBeInTheDocument();

    const lines = screen.getAllByTestId("order-line");
    expect(lines).toHaveLength(2);
    expect(within(lines[0] as HTMLElement).getByTestId("line-sku")).toHaveTextContent("USD-1008");
    expect(within(lines[0] as HTMLElement).getByTestId("line-supplier-sku")).toHaveTextContent(
      "USD-1008",
    );
    expect(screen.getByTestId("order-ship-to")).toHaveTextContent("Austin, TX 78701");
    expect(screen.getByTestId("order-total")).toHaveTextContent("$");
    expect(screen.getByTestId("invoice-payment")).toHaveTextContent("Authorized");
    const margin = screen.getByTestId("order-margin");
    expect(margin).toHaveTextContent(/^\$[\d,]+\.\d\d$/);
    expect(margin).toHaveAttribute("title", expect.stringContaining("Tax passes through"));
    expect(screen.getByTestId("tracking-link")).toHaveAttribute(
      "href",
      "https://www.ups.com/track?tracknum=1Z999AA10100000231",
    );
    expect(timeline()).toEqual([
      expect.stringContaining("Imported Sync Imported from Sandbox Store"),
      expect.stringContaining("Note · Imported System US Direct's checks passed"),
      expect.stringContaining("Imported → Awaiting authorization US Direct placed with US Direct"),
      expect.stringContaining(
        "Awaiting authorization → Authorized You Authorize Order for Payment",
      ),
      expect.stringContaining("Authorized → Processing US Direct"),
      expect.stringContaining("Processing → Shipped US Direct Shipped by UPS"),
    ]);
    const jobs = screen.getAllByTestId("job-row");
    expect(jobs.map((row) => within(row).getByTestId("job-kind").textContent)).toEqual([
      expect.stringContaining("Authorize payment"),
      expect.stringContaining("Send to US Direct"),
    ]);
    expect(screen.queryByTestId("job-retry")).not.toBeInTheDocument();
  });

  it("shows each shipment's carrier, tracking link, shipped time and that it is being sent to the store", async () => {
    const { backend } = await openOrder("1231");
    const { shipments } = await backend.commands.getOrder(231);

    const row = screen.getByTestId("shipment-row");
    expect(within(row).getByTestId("shipment-carrier")).toHaveTextContent("UPS");
    expect(within(row).getByTestId("tracking-link")).toHaveTextContent("1Z999AA10100000231");
    expect(within(row).getByTestId("shipment-shipped-at")).toHaveAttribute(
      "datetime",
      shipments[0]?.shipped_at,
    );
    expect(within(row).getByTestId("shipment-shipped-at").textContent?.trim()).toMatch(
      /^\d+\/\d+\/\d+, \d+:\d\d [AP]M$/,
    );
    const state = within(row).getByTestId("shipment-sync-state");
    expect(state).toHaveTextContent("Being sent to your store");
    expect(state).toHaveAttribute("data-synced", "false");
  });

  it("opens the tracking page through the shell, by order and tracking number", async () => {
    const { backend, user } = await openOrder("1231");
    const open = vi.spyOn(backend.commands, "openTracking");
    await user.click(screen.getByTestId("tracking-link"));
    expect(open).toHaveBeenCalledWith(231, "1Z999AA10100000231");
    expect(screen.queryByTestId("tracking-open-error")).toBeNull();

    open.mockRejectedValueOnce(commandError("not_found", "this shipment has no tracking page"));
    await user.click(screen.getByTestId("tracking-link"));
    expect(await screen.findByTestId("tracking-open-error")).toHaveTextContent("no tracking page");
  });

  it("says a shipment's tracking is in the store once the store confirmed it", async () => {
    const { backend } = await openOrder("1100");
    const { shipments } = await backend.commands.getOrder(100);

    const state = within(screen.getByTestId("shipment-row")).getByTestId("shipment-sync-state");
    expect(state).toHaveTextContent(/^✓ In your store since \d+\/\d+\/\d+, \d+:\d\d [AP]M$/);
    expect(state).toHaveAttribute("data-synced", "true");
    expect(within(state).getByText(/\d+:\d\d/)).toHaveAttribute(
      "datetime",
      shipments[0]?.pushed_at,
    );
  });

  it("says what is not known yet for an order US Direct has not invoiced", async () => {
    await openOrder("1240");

    expect(status()).toHaveTextContent("Imported");
    expect(screen.getByTestId("order-invoice-none")).toBeVisible();
    expect(screen.getByTestId("order-margin")).toHaveTextContent("Known once US Direct invoices");
    expect(screen.getByTestId("shipments-empty")).toHaveTextContent("Nothing has shipped yet.");
  });

  it("authorizes payment once: the button waits for the answer, then the page shows the new status", async () => {
    const { backend, user } = await openOrder("1239");
    const original = backend.commands.authorizeOrders;
    const answer = deferred<AuthorizeOutcome[]>();
    const authorize = vi
      .spyOn(backend.commands, "authorizeOrders")
      .mockImplementation(async (ids) => {
        const outcomes = await original(ids);
        await answer.promise;
        return outcomes;
      });
    expect(status()).toHaveTextContent("Awaiting authorization");

    const button = screen.getByTestId("authorize-order");
    expect(button).toHaveTextContent("Authorize Order for Payment");
    await user.click(button);
    expect(button).toBeDisabled();
    expect(button).toHaveTextContent("Authorizing…");
    await user.click(button);
    expect(authorize).toHaveBeenCalledTimes(1);
    expect(authorize).toHaveBeenCalledWith([239]);

    answer.resolve([]);
    await waitFor(() => expect(status()).toHaveTextContent("Authorized"));
    expect(screen.getByTestId("authorize-result")).toHaveTextContent(
      "Order 1239 authorized for payment.",
    );
    expect(screen.queryByTestId("authorize-order")).not.toBeInTheDocument();
    expect(timeline().at(-1)).toContain("Awaiting authorization → Authorized You");
    expect(screen.getAllByTestId("job-row")[0]).toHaveTextContent("Authorize payment");

    // US Direct authorizes the payment in the background; the page follows.
    backend.runOutbox();
    await waitFor(() => expect(status()).toHaveTextContent("Processing"));
    expect(screen.getByTestId("invoice-payment")).toHaveTextContent("Authorized");
  });

  it("shows why an authorization did not go through", async () => {
    const { backend, user } = await openOrder("1239");
    vi.spyOn(backend.commands, "authorizeOrders").mockRejectedValue(
      commandError("storage", "The database failed: disk full"),
    );

    await user.click(screen.getByTestId("authorize-order"));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Not authorized: The database failed: disk full",
    );
    expect(screen.getByTestId("authorize-order")).toBeEnabled();
  });

  it("fixes a PO box: Edit address, Save, and the order is routed again", async () => {
    const { backend, user } = await openOrder("1235");
    const panel = screen.getByTestId("attention-panel");
    expect(status()).toHaveTextContent("Needs attention");
    expect(within(panel).getByTestId("attention-reason")).toHaveTextContent(
      "US Direct does not ship to PO boxes.",
    );
    expect(within(panel).getByTestId("attention-problem")).toHaveTextContent("Ships to a PO box");
    const editShipTo = vi.spyOn(backend.commands, "editShipTo");

    await user.click(within(panel).getByTestId("resolve-edit-address"));
    const form = screen.getByTestId("ship-to-form");
    const street = within(form).getByTestId("ship-to-line1");
    expect(street).toHaveFocus();
    await user.clear(street);
    await user.type(street, "77 Elm St");
    await user.click(within(form).getByTestId("ship-to-save"));

    expect(editShipTo).toHaveBeenCalledWith(
      235,
      expect.objectContaining({ line1: "77 Elm St", country_code: "US" }),
    );
    await waitFor(() => expect(status()).toHaveTextContent("Imported"));
    expect(screen.queryByTestId("attention-panel")).not.toBeInTheDocument();
    expect(screen.getByTestId("order-ship-to")).toHaveTextContent("77 Elm St");
    expect(timeline().at(-1)).toContain("US Direct's checks passed");
  });

  it("checks the address form before sending it, and shows the backend's refusal", async () => {
    const { backend, user } = await openOrder("1218");
    const editShipTo = vi.spyOn(backend.commands, "editShipTo");
    await user.click(screen.getByTestId("resolve-edit-address"));
    const form = screen.getByTestId("ship-to-form");

    await user.clear(within(form).getByTestId("ship-to-city"));
    await user.click(within(form).getByTestId("ship-to-save"));
    expect(within(form).getByTestId("ship-to-city-error")).toHaveTextContent("Enter the city.");
    expect(within(form).getByTestId("ship-to-city")).toHaveFocus();
    expect(editShipTo).not.toHaveBeenCalled();

    editShipTo.mockRejectedValueOnce(
      commandError(
        "invalid_input",
        "order: the address can only be edited before the order goes to US Direct",
      ),
    );
    await user.type(within(form).getByTestId("ship-to-city"), "Anchorage");
    await user.click(within(form).getByTestId("ship-to-save"));
    expect(await within(form).findByTestId("ship-to-error")).toHaveTextContent(
      "The address was not saved: order: the address can only be edited before the order goes to US Direct",
    );

    // Still outside the lower 48: the order stays, with the problem as it is now.
    await user.click(within(form).getByTestId("ship-to-save"));
    await waitFor(() => expect(screen.queryByTestId("ship-to-form")).not.toBeInTheDocument());
    expect(status()).toHaveTextContent("Needs attention");
    expect(screen.getByTestId("attention-problem")).toHaveTextContent(
      "Ships outside the lower 48 states (AK, US)",
    );
  });

  it("closes the address form with Escape, and only the form", async () => {
    const { user } = await openOrder("1218");
    await user.click(screen.getByTestId("resolve-edit-address"));

    await user.keyboard("{Escape}");

    expect(screen.queryByTestId("ship-to-form")).not.toBeInTheDocument();
    expect(screen.getByTestId("order-page")).toBeVisible();
    await user.keyboard("{Escape}");
    expect(screen.getByTestId("page-title")).toHaveTextContent("Orders");
  });

  it("maps an unmapped SKU and routes the order again", async () => {
    const { backend, user } = await openOrder("1201");
    const setSkuMapping = vi.spyOn(backend.commands, "setSkuMapping");
    const routeAgain = vi.spyOn(backend.commands, "routeAgain");
    expect(screen.getByTestId("attention-problem")).toHaveTextContent(
      "SKU OWN-201 is not mapped to a US Direct item",
    );
    expect(screen.getAllByTestId("line-supplier-sku")[1]).toHaveTextContent("Not mapped");

    await user.click(screen.getByTestId("resolve-map-sku"));
    await user.click(screen.getByTestId("map-sku-save"));
    expect(screen.getByTestId("map-sku-error")).toHaveTextContent("Type the SKU.");
    await user.type(screen.getByTestId("map-sku-input"), "USD-1006{Enter}");

    expect(setSkuMapping).toHaveBeenCalledWith("OWN-201", "USD-1006");
    await waitFor(() => expect(status()).toHaveTextContent("Imported"));
    expect(routeAgain).toHaveBeenCalledWith(201);
    expect(screen.getAllByTestId("line-supplier-sku")[1]).toHaveTextContent("USD-1006");
  });

  it("releases a weight hold after a confirm", async () => {
    const { backend, user } = await openOrder("1167");
    const release = vi.spyOn(backend.commands, "releaseWeightHold");
    expect(screen.getByTestId("attention-problem")).toHaveTextContent(
      "Weighs 34.6 lb, over US Direct's 30 lb limit",
    );

    await user.click(screen.getByTestId("resolve-release-hold"));
    expect(screen.getByTestId("release-hold-dialog")).toHaveTextContent("Release the weight hold?");
    // Escape closes the dialog, not the page.
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("release-hold-dialog")).not.toBeInTheDocument();
    expect(screen.getByTestId("order-page")).toBeVisible();

    await user.click(screen.getByTestId("resolve-release-hold"));
    await user.click(screen.getByTestId("release-hold-dialog-confirm"));

    expect(release).toHaveBeenCalledWith(167);
    await waitFor(() => expect(status()).toHaveTextContent("Imported"));
  });

  it("routes a refused order again", async () => {
    const { user } = await openOrder("1150");
    expect(screen.getByTestId("attention-reason")).toHaveTextContent("US Direct refused the order");
    expect(screen.getByTestId("job-error")).toHaveTextContent("item USD-1004 is discontinued");

    await user.click(screen.getByTestId("resolve-route-again"));

    await waitFor(() => expect(status()).toHaveTextContent("Imported"));
  });

  it("authorizes a declined payment again from the attention panel", async () => {
    const { user } = await openOrder("1184");
    const panel = screen.getByTestId("attention-panel");
    expect(within(panel).getByTestId("attention-reason")).toHaveTextContent(
      "US Direct declined the payment",
    );
    expect(screen.getByTestId("invoice-payment")).toHaveTextContent("Declined");
    const button = within(panel).getByTestId("authorize-order");
    expect(button).toHaveTextContent("Authorize again");
    expect(screen.getAllByTestId("authorize-order")).toHaveLength(1);

    await user.click(button);

    await waitFor(() => expect(status()).toHaveTextContent("Authorized"));
    expect(screen.queryByTestId("attention-panel")).not.toBeInTheDocument();
  });

  it("shows a Resolve failure where the action was", async () => {
    const { backend, user } = await openOrder("1150");
    vi.spyOn(backend.commands, "routeAgain").mockRejectedValue(
      commandError(
        "invalid_transition",
        "order 150 changed while this step ran (it is now imported); reload and try again",
      ),
    );

    await user.click(screen.getByTestId("resolve-route-again"));

    expect(await screen.findByTestId("resolve-error")).toHaveTextContent(
      "The order was not routed again: order 150 changed while this step ran",
    );
  });

  it("cancels a waiting job after a confirm; the order can then be sent again", async () => {
    const { backend, user } = await openOrder("1236");
    const cancelJob = vi.spyOn(backend.commands, "cancelJob");
    const [waiting] = screen.getAllByTestId("job-row") as HTMLElement[];
    expect(waiting).toHaveTextContent("Authorize payment");
    expect(within(waiting as HTMLElement).getByTestId("job-state")).toHaveTextContent("Retrying");

    await user.click(within(waiting as HTMLElement).getByTestId("job-cancel"));
    expect(screen.getByTestId("job-cancel-dialog")).toHaveTextContent(
      "The payment is not authorized, and the order waits for you under Needs attention.",
    );
    await user.click(screen.getByTestId("job-cancel-dialog-confirm"));

    expect(cancelJob).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(status()).toHaveTextContent("Needs attention"));
    expect(screen.getByTestId("attention-reason")).toHaveTextContent(
      "The payment authorization was cancelled by you.",
    );
    await user.click(screen.getByTestId("resolve-route-again"));
    await waitFor(() => expect(status()).toHaveTextContent("Awaiting authorization"));
  });

  it("says when the order cannot be found", async () => {
    const { backend, user } = await renderReadyApp();
    await screen.findAllByTestId("order-row");
    vi.spyOn(backend.commands, "getOrder").mockRejectedValue(
      commandError("not_found", "order 240 was not found"),
    );

    await user.click(screen.getAllByTestId("order-customer")[0] as HTMLElement);

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The order could not be loaded: order 240 was not found",
    );
    await user.click(screen.getByTestId("order-back"));
    expect(screen.getByTestId("page-title")).toHaveTextContent("Orders");
  });
});
