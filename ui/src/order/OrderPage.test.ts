import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { AuthorizeOutcome, CommandError, OrderDetail } from "../bindings";
import { fixture } from "../test/fixture";
import { deferred, renderOrdersApp, type TestBackend } from "../test/render-app";

/** Opens `order` from the Orders list, with `setup` saying what the other commands answer. */
async function openOrder(order: OrderDetail, setup: (backend: TestBackend) => void = () => {}) {
  const rendered = await renderOrdersApp((backend) => {
    backend.commands.getOrder.mockResolvedValue(order);
    setup(backend);
  });
  const rows = await screen.findAllByTestId("order-row");
  const row = rows.find(
    (candidate) => within(candidate).getByTestId("order-number").textContent === order.number,
  );
  await rendered.user.click(within(row as HTMLElement).getByTestId("order-customer"));
  await screen.findAllByTestId("timeline-row");
  expect(rendered.backend.commands.getOrder).toHaveBeenCalledWith(order.id);
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
    const order = fixture("orderShippedTwoLines");
    await openOrder(order);

    expect(screen.getByTestId("page-title")).toHaveTextContent("Order #1014");
    expect(status()).toHaveTextContent("Shipped");
    expect(screen.getByTestId("order-channel")).toHaveTextContent("Sandbox Store");
    expect(screen.queryByTestId("authorize-order")).not.toBeInTheDocument();

    const lines = screen.getAllByTestId("order-line");
    expect(lines).toHaveLength(2);
    expect(within(lines[0] as HTMLElement).getByTestId("line-sku")).toHaveTextContent("USD-1007");
    expect(within(lines[0] as HTMLElement).getByTestId("line-supplier-sku")).toHaveTextContent(
      "USD-1007",
    );
    expect(screen.getByTestId("order-ship-to")).toHaveTextContent("Hawthorne, CA 90250");
    expect(screen.getByTestId("order-total")).toHaveTextContent("$53.79");
    expect(screen.getByTestId("invoice-payment")).toHaveTextContent("Paid");
    const margin = screen.getByTestId("order-margin");
    expect(margin).toHaveTextContent("$17.40");
    expect(margin).toHaveAttribute("title", expect.stringContaining("Tax passes through"));
    expect(screen.getByTestId("tracking-link")).toHaveAttribute(
      "href",
      "https://www.ups.com/track?tracknum=1ZV8A9R20312504053",
    );
    expect(timeline()).toEqual([
      expect.stringContaining("Imported Sync imported from Sandbox Store"),
      expect.stringContaining("Note · Imported System US Direct's checks passed"),
      expect.stringContaining("Imported → Awaiting authorization US Direct placed with US Direct"),
      expect.stringContaining(
        "Awaiting authorization → Authorized You Authorize Order for Payment: 33.53 USD",
      ),
      expect.stringContaining("Authorized → Processing US Direct"),
      expect.stringContaining("Processing → Shipped US Direct US Direct shipped it: UPS"),
    ]);
    const jobs = screen.getAllByTestId("job-row");
    expect(jobs.map((row) => within(row).getByTestId("job-kind").textContent)).toEqual([
      expect.stringContaining("Send tracking to your store"),
      expect.stringContaining("Authorize payment"),
      expect.stringContaining("Send to US Direct"),
    ]);
    // Only the job still waiting can be run now; finished ones have no actions.
    expect(screen.getAllByTestId("job-retry")).toHaveLength(1);
    expect(within(jobs[0] as HTMLElement).getByTestId("job-retry")).toHaveTextContent("Run now");
  });

  it("shows each shipment's carrier, tracking link, shipped time and that it is being sent to the store", async () => {
    const order = fixture("orderShippedTwoLines");
    await openOrder(order);

    const row = screen.getByTestId("shipment-row");
    expect(within(row).getByTestId("shipment-carrier")).toHaveTextContent("UPS");
    expect(within(row).getByTestId("tracking-link")).toHaveTextContent("1ZV8A9R20312504053");
    expect(within(row).getByTestId("shipment-shipped-at")).toHaveAttribute(
      "datetime",
      order.shipments[0]?.shipped_at,
    );
    expect(within(row).getByTestId("shipment-shipped-at").textContent?.trim()).toMatch(
      /^\d+\/\d+\/\d+, \d+:\d\d [AP]M$/,
    );
    const state = within(row).getByTestId("shipment-sync-state");
    expect(state).toHaveTextContent("Being sent to your store");
    expect(state).toHaveAttribute("data-synced", "false");
  });

  it("opens the tracking page through the shell, by order and tracking number", async () => {
    const { backend, user } = await openOrder(fixture("orderShippedTwoLines"), ({ commands }) => {
      commands.openTracking.mockResolvedValue(null);
    });
    await user.click(screen.getByTestId("tracking-link"));
    expect(backend.commands.openTracking).toHaveBeenCalledWith(14, "1ZV8A9R20312504053");
    expect(screen.queryByTestId("tracking-open-error")).toBeNull();

    // The shell's own answer when a shipment has no https tracking page (commands.rs).
    const noPage: CommandError = {
      code: "not_found",
      message: "this shipment has no tracking page; search the number on the carrier's site",
    };
    backend.commands.openTracking.mockRejectedValueOnce(noPage);
    await user.click(screen.getByTestId("tracking-link"));
    expect(await screen.findByTestId("tracking-open-error")).toHaveTextContent("no tracking page");
  });

  it("says a shipment's tracking is in the store once the store confirmed it", async () => {
    const order = fixture("orderCompleted");
    await openOrder(order);

    expect(status()).toHaveTextContent("Completed");
    const state = within(screen.getByTestId("shipment-row")).getByTestId("shipment-sync-state");
    expect(state).toHaveTextContent(/^✓ In your store since \d+\/\d+\/\d+, \d+:\d\d [AP]M$/);
    expect(state).toHaveAttribute("data-synced", "true");
    expect(within(state).getByText(/\d+:\d\d/)).toHaveAttribute(
      "datetime",
      order.shipments[0]?.pushed_at,
    );
  });

  it("says what is not known yet for an order US Direct has not invoiced", async () => {
    await openOrder(fixture("orderImported"));

    expect(status()).toHaveTextContent("Imported");
    expect(screen.getByTestId("order-invoice-none")).toBeVisible();
    expect(screen.getByTestId("order-margin")).toHaveTextContent("Known once US Direct invoices");
    expect(screen.getByTestId("shipments-empty")).toHaveTextContent("Nothing has shipped yet.");
  });

  it("authorizes payment once: the button waits for the answer, then the page shows the new status", async () => {
    const answer = deferred<AuthorizeOutcome[]>();
    const { backend, user } = await openOrder(fixture("orderAwaitingAuthorization"));
    const authorize = backend.commands.authorizeOrders.mockReturnValue(answer.promise);
    expect(status()).toHaveTextContent("Awaiting authorization");

    const button = screen.getByTestId("authorize-order");
    expect(button).toHaveTextContent("Authorize Order for Payment");
    await user.click(button);
    expect(button).toBeDisabled();
    expect(button).toHaveTextContent("Authorizing…");
    await user.click(button);
    expect(authorize).toHaveBeenCalledTimes(1);
    expect(authorize).toHaveBeenCalledWith([1]);

    backend.commands.getOrder.mockResolvedValue(fixture("orderAuthorized"));
    answer.resolve(fixture("authorizeQueued"));
    await waitFor(() => expect(status()).toHaveTextContent("Authorized"));
    expect(screen.getByTestId("authorize-result")).toHaveTextContent(
      "Order #1001 authorized for payment with the sandbox US Direct (no real money).",
    );
    expect(screen.queryByTestId("authorize-order")).not.toBeInTheDocument();
    expect(timeline().at(-1)).toContain("Awaiting authorization → Authorized You");
    expect(screen.getAllByTestId("job-row")[0]).toHaveTextContent("Authorize payment");

    // US Direct authorizes the payment in the background; the page follows.
    backend.commands.getOrder.mockResolvedValue(fixture("orderProcessing"));
    backend.emit("activity-changed", { reason: "outbox" });
    await waitFor(() => expect(status()).toHaveTextContent("Processing"));
    expect(screen.getByTestId("invoice-payment")).toHaveTextContent("Authorized");
  });

  it("shows why an authorization did not go through", async () => {
    const { user } = await openOrder(fixture("orderAwaitingAuthorization"), ({ commands }) => {
      commands.authorizeOrders.mockRejectedValue(fixture("errorDatabase"));
    });

    await user.click(screen.getByTestId("authorize-order"));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Not authorized: The database failed: attempted to acquire a connection on a closed pool",
    );
    expect(screen.getByTestId("authorize-order")).toBeEnabled();
  });

  it("fixes a PO box: Edit address, Save, and the order is routed again", async () => {
    const { backend, user } = await openOrder(fixture("orderPoBox"), ({ commands }) => {
      commands.editShipTo.mockResolvedValue(fixture("orderPoBoxEdited"));
    });
    const panel = screen.getByTestId("attention-panel");
    expect(status()).toHaveTextContent("Needs attention");
    expect(within(panel).getByTestId("attention-reason")).toHaveTextContent(
      "US Direct does not ship to PO boxes.",
    );
    expect(within(panel).getByTestId("attention-problem")).toHaveTextContent("Ships to a PO box");

    await user.click(within(panel).getByTestId("resolve-edit-address"));
    const form = screen.getByTestId("ship-to-form");
    const street = within(form).getByTestId("ship-to-line1");
    expect(street).toHaveFocus();
    await user.clear(street);
    await user.type(street, "77 Elm St");
    await user.click(within(form).getByTestId("ship-to-save"));

    expect(backend.commands.editShipTo).toHaveBeenCalledWith(
      2,
      expect.objectContaining({ line1: "77 Elm St", line2: "Attn: receiving", country_code: "US" }),
    );
    await waitFor(() => expect(status()).toHaveTextContent("Imported"));
    expect(screen.queryByTestId("attention-panel")).not.toBeInTheDocument();
    expect(screen.getByTestId("order-ship-to")).toHaveTextContent("77 Elm St");
    expect(timeline().at(-1)).toContain("US Direct's checks passed");
  });

  it("checks the address form before sending it, and shows the backend's refusal", async () => {
    const { backend, user } = await openOrder(fixture("orderAlaska"));
    const editShipTo = backend.commands.editShipTo;
    await user.click(screen.getByTestId("resolve-edit-address"));
    const form = screen.getByTestId("ship-to-form");

    await user.clear(within(form).getByTestId("ship-to-city"));
    await user.click(within(form).getByTestId("ship-to-save"));
    expect(within(form).getByTestId("ship-to-city-error")).toHaveTextContent("Enter the city.");
    expect(within(form).getByTestId("ship-to-city")).toHaveFocus();
    expect(editShipTo).not.toHaveBeenCalled();

    editShipTo.mockRejectedValueOnce(fixture("errorAddressNotEditable"));
    await user.type(within(form).getByTestId("ship-to-city"), "Anchorage");
    await user.click(within(form).getByTestId("ship-to-save"));
    expect(await within(form).findByTestId("ship-to-error")).toHaveTextContent(
      "The address was not saved: order: the address can only be edited before the order goes to US Direct",
    );

    // Still outside the lower 48: the order stays, with the problem as it is now.
    editShipTo.mockResolvedValue(fixture("orderAlaskaStillOutside"));
    await user.click(within(form).getByTestId("ship-to-save"));
    await waitFor(() => expect(screen.queryByTestId("ship-to-form")).not.toBeInTheDocument());
    expect(editShipTo).toHaveBeenLastCalledWith(
      3,
      expect.objectContaining({ city: "Anchorage", state_code: "AK" }),
    );
    expect(status()).toHaveTextContent("Needs attention");
    expect(screen.getByTestId("attention-problem")).toHaveTextContent(
      "Ships outside the lower 48 states (AK, US)",
    );
  });

  it("closes the address form with Escape, and only the form", async () => {
    const { user } = await openOrder(fixture("orderAlaska"));
    await user.click(screen.getByTestId("resolve-edit-address"));

    await user.keyboard("{Escape}");

    expect(screen.queryByTestId("ship-to-form")).not.toBeInTheDocument();
    expect(screen.getByTestId("order-page")).toBeVisible();
    await user.keyboard("{Escape}");
    expect(screen.getByTestId("page-title")).toHaveTextContent("Orders");
  });

  it("shows an order not for US Direct and sends it once its SKU is mapped", async () => {
    const { backend, user } = await openOrder(fixture("orderUnmappedSku"), ({ commands }) => {
      commands.setSkuMapping.mockResolvedValue(fixture("skuMappingAdded"));
      commands.routeAgain.mockResolvedValue(fixture("orderUnmappedSkuMapped"));
    });
    expect(status()).toHaveTextContent("Not for US Direct");
    expect(screen.getByTestId("not-for-us-direct")).toHaveTextContent("fulfil it yourself");
    expect(screen.getAllByTestId("line-supplier-sku")[0]).toHaveTextContent(
      "Not for US Direct (not in the SKU map)",
    );

    await user.click(screen.getByTestId("map-line-sku"));
    await user.click(screen.getByTestId("map-sku-save"));
    expect(screen.getByTestId("map-sku-error")).toHaveTextContent("Type the SKU.");
    await user.type(screen.getByTestId("map-sku-input"), "USD-1006{Enter}");

    expect(backend.commands.setSkuMapping).toHaveBeenCalledWith("OWN-201", "USD-1006");
    await waitFor(() => expect(status()).toHaveTextContent("Imported"));
    expect(backend.commands.routeAgain).toHaveBeenCalledWith(4);
    expect(screen.getAllByTestId("line-supplier-sku")[0]).toHaveTextContent("US Direct USD-1006");
    expect(screen.queryByTestId("not-for-us-direct")).not.toBeInTheDocument();
  });

  it("releases a weight hold after a confirm", async () => {
    const { backend, user } = await openOrder(fixture("orderOverweight"), ({ commands }) => {
      commands.releaseWeightHold.mockResolvedValue(fixture("orderOverweightReleased"));
    });
    expect(screen.getByTestId("attention-problem")).toHaveTextContent(
      "Weighs 30.9 lb, over US Direct's 30 lb limit",
    );

    await user.click(screen.getByTestId("resolve-release-hold"));
    expect(screen.getByTestId("release-hold-dialog")).toHaveTextContent("Release the weight hold?");
    // Escape closes the dialog, not the page.
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("release-hold-dialog")).not.toBeInTheDocument();
    expect(screen.getByTestId("order-page")).toBeVisible();
    expect(backend.commands.releaseWeightHold).not.toHaveBeenCalled();

    await user.click(screen.getByTestId("resolve-release-hold"));
    await user.click(screen.getByTestId("release-hold-dialog-confirm"));

    expect(backend.commands.releaseWeightHold).toHaveBeenCalledWith(5);
    await waitFor(() => expect(status()).toHaveTextContent("Imported"));
  });

  it("releases a PO box hold as is after a confirm", async () => {
    const poBox = fixture("orderPoBox");
    const { backend, user } = await openOrder(poBox, ({ commands }) => {
      commands.releaseHold.mockResolvedValue(fixture("orderPoBoxEdited"));
    });
    const problem = screen
      .getAllByTestId("attention-problem")
      .find((item) => item.dataset.rule === "po_box") as HTMLElement;
    await user.click(within(problem).getByTestId("resolve-release-po-box"));
    expect(screen.getByTestId("release-po-box-dialog")).toHaveTextContent("Pobox Ave");
    await user.keyboard("{Escape}");
    expect(backend.commands.releaseHold).not.toHaveBeenCalled();

    await user.click(within(problem).getByTestId("resolve-release-po-box"));
    await user.click(screen.getByTestId("release-po-box-dialog-confirm"));
    expect(backend.commands.releaseHold).toHaveBeenCalledWith(poBox.id);
    await waitFor(() => expect(status()).toHaveTextContent("Imported"));
  });

  it("routes a refused order again", async () => {
    const { backend, user } = await openOrder(fixture("orderRefused"), ({ commands }) => {
      commands.routeAgain.mockResolvedValue(fixture("orderRefusedRoutedAgain"));
    });
    expect(screen.getByTestId("attention-reason")).toHaveTextContent("US Direct refused the order");
    expect(screen.getByTestId("job-error")).toHaveTextContent(
      "SKU USD-9999 is not in the catalog.",
    );

    await user.click(screen.getByTestId("resolve-route-again"));

    expect(backend.commands.routeAgain).toHaveBeenCalledWith(6);
    await waitFor(() => expect(status()).toHaveTextContent("Imported"));
  });

  it("releases an order the store is not paid for after a confirm", async () => {
    const unpaid = fixture("orderUnpaid");
    const { backend, user } = await openOrder(unpaid, ({ commands }) => {
      commands.listOrders.mockResolvedValue(fixture("ordersSearchUnpaid"));
      commands.releasePaymentHold.mockResolvedValue(fixture("orderUnpaidReleased"));
    });
    expect(status()).toHaveTextContent("Needs attention");
    expect(screen.getByTestId("attention-reason")).toHaveTextContent(
      "The store has not been paid for this order yet (Shopify: PENDING).",
    );
    expect(screen.getByTestId("order-store-payment")).toHaveTextContent(
      "Store payment: Not paid yet (PENDING)",
    );
    // Routing again would only hold it again: the panel offers the release instead.
    expect(screen.queryByTestId("resolve-route-again")).not.toBeInTheDocument();

    await user.click(screen.getByTestId("resolve-release-payment"));
    expect(screen.getByTestId("release-payment-dialog")).toHaveTextContent(
      "US Direct's invoice is yours to pay",
    );
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("release-payment-dialog")).not.toBeInTheDocument();
    expect(backend.commands.releasePaymentHold).not.toHaveBeenCalled();

    await user.click(screen.getByTestId("resolve-release-payment"));
    await user.click(screen.getByTestId("release-payment-dialog-confirm"));

    expect(backend.commands.releasePaymentHold).toHaveBeenCalledWith(unpaid.id);
    await waitFor(() => expect(status()).toHaveTextContent("Imported"));
    expect(screen.queryByTestId("attention-panel")).not.toBeInTheDocument();
    expect(screen.getByTestId("order-store-payment")).toHaveTextContent("(released by you)");
    expect(timeline()).toContainEqual(
      expect.stringContaining("You payment hold released by the dealer"),
    );
  });

  it("authorizes a declined payment again from the attention panel", async () => {
    const { backend, user } = await openOrder(fixture("orderDeclined"), ({ commands }) => {
      commands.authorizeOrders.mockResolvedValue(fixture("authorizeAgain"));
    });
    const panel = screen.getByTestId("attention-panel");
    expect(within(panel).getByTestId("attention-reason")).toHaveTextContent(
      "US Direct declined the payment: The card on file expired.",
    );
    expect(screen.getByTestId("invoice-payment")).toHaveTextContent("Declined");
    const button = within(panel).getByTestId("authorize-order");
    expect(button).toHaveTextContent("Authorize again");
    expect(screen.getAllByTestId("authorize-order")).toHaveLength(1);
    backend.commands.getOrder.mockResolvedValue(fixture("orderDeclinedAuthorizedAgain"));

    await user.click(button);

    expect(backend.commands.authorizeOrders).toHaveBeenCalledWith([8]);
    await waitFor(() => expect(status()).toHaveTextContent("Authorized"));
    expect(screen.queryByTestId("attention-panel")).not.toBeInTheDocument();
  });

  it("shows a Resolve failure where the action was", async () => {
    const refusal = fixture("errorNotNeedingAttention");
    const { user } = await openOrder(fixture("orderRefused"), ({ commands }) => {
      commands.routeAgain.mockRejectedValue(refusal);
    });

    await user.click(screen.getByTestId("resolve-route-again"));

    expect(await screen.findByTestId("resolve-error")).toHaveTextContent(
      `The order was not routed again: ${refusal.message}`,
    );
  });

  it("cancels a waiting job after a confirm; the order can then be sent again", async () => {
    const { backend, user } = await openOrder(
      fixture("orderAuthorizedWaitingJob"),
      ({ commands }) => {
        commands.cancelJob.mockResolvedValue(fixture("jobCancelled"));
        commands.routeAgain.mockResolvedValue(fixture("orderStoppedRoutedAgain"));
      },
    );
    const [waiting] = screen.getAllByTestId("job-row") as HTMLElement[];
    expect(waiting).toHaveTextContent("Authorize payment");
    expect(within(waiting as HTMLElement).getByTestId("job-state")).toHaveTextContent("Waiting");

    await user.click(within(waiting as HTMLElement).getByTestId("job-cancel"));
    expect(screen.getByTestId("job-cancel-dialog")).toHaveTextContent(
      "The payment is not authorized, and the order waits for you under Needs attention.",
    );
    backend.commands.getOrder.mockResolvedValue(fixture("orderStopped"));
    await user.click(screen.getByTestId("job-cancel-dialog-confirm"));

    expect(backend.commands.cancelJob).toHaveBeenCalledWith(20);
    await waitFor(() => expect(status()).toHaveTextContent("Needs attention"));
    expect(screen.getByTestId("attention-reason")).toHaveTextContent(
      "The payment authorization was cancelled by you.",
    );
    await user.click(screen.getByTestId("resolve-route-again"));
    expect(backend.commands.routeAgain).toHaveBeenCalledWith(15);
    await waitFor(() => expect(status()).toHaveTextContent("Awaiting authorization"));
  });

  it("cancels an order after asking why; Escape keeps it", async () => {
    const processing = fixture("orderProcessing");
    const cancelled: OrderDetail = {
      ...processing,
      status: "cancelled",
      cancel_blocked: `Order ${processing.number} is cancelled.`,
    };
    const { backend, user } = await openOrder(processing, ({ commands }) => {
      commands.cancelOrder.mockResolvedValue(cancelled);
    });
    const button = screen.getByTestId("cancel-order");
    expect(button).toBeEnabled();

    await user.click(button);
    expect(screen.getByTestId("cancel-order-dialog")).toHaveTextContent("Refund the customer");
    await waitFor(() => expect(screen.getByTestId("cancel-order-reason")).toHaveFocus());
    // Escape closes the dialog, not the page, and nothing is cancelled.
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("cancel-order-dialog")).not.toBeInTheDocument();
    expect(screen.getByTestId("order-page")).toBeVisible();

    // A reason is needed.
    await user.click(screen.getByTestId("cancel-order"));
    await user.click(screen.getByTestId("cancel-order-dialog-confirm"));
    expect(screen.getByTestId("cancel-order-dialog")).toHaveTextContent("Say why");
    expect(backend.commands.cancelOrder).not.toHaveBeenCalled();

    await user.type(screen.getByTestId("cancel-order-reason"), "The customer asked{Enter}");
    expect(backend.commands.cancelOrder).toHaveBeenCalledWith(processing.id, "The customer asked");
    await waitFor(() => expect(status()).toHaveTextContent("Cancelled"));
    expect(screen.queryByTestId("cancel-order-dialog")).not.toBeInTheDocument();
    expect(screen.queryByTestId("cancel-order")).not.toBeInTheDocument();
  });

  it("keeps Cancel order visible but off, with why, once the order has shipped", async () => {
    await openOrder(fixture("orderShipped"));
    expect(screen.getByTestId("cancel-order")).toBeDisabled();
    expect(screen.getByTestId("cancel-order-blocked")).toHaveTextContent(
      "has shipped, so it can no longer be cancelled",
    );
    expect(screen.getByTestId("cancel-order-blocked")).toHaveTextContent("return");
  });

  it("shows the engine's refusal in the dialog", async () => {
    const refusal: CommandError = {
      code: "invalid_input",
      message: "cancel: Order #1001 has shipped, so it can no longer be cancelled.",
    };
    const { user } = await openOrder(fixture("orderProcessing"), ({ commands }) => {
      commands.cancelOrder.mockRejectedValue(refusal);
    });
    await user.click(screen.getByTestId("cancel-order"));
    await user.type(screen.getByTestId("cancel-order-reason"), "too late");
    await user.click(screen.getByTestId("cancel-order-dialog-confirm"));
    expect(await screen.findByRole("alert")).toHaveTextContent("has shipped");
    expect(status()).toHaveTextContent("Processing");
  });

  it("says when the order cannot be found", async () => {
    const { backend, user } = await renderOrdersApp(({ commands }) => {
      commands.getOrder.mockRejectedValue(fixture("errorOrderNotFound"));
    });
    await screen.findAllByTestId("order-row");

    await user.click(screen.getAllByTestId("order-customer")[0] as HTMLElement);

    expect(backend.commands.getOrder).toHaveBeenCalledWith(18);
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The order could not be loaded: order 99999 was not found",
    );
    await user.click(screen.getByTestId("order-back"));
    expect(screen.getByTestId("page-title")).toHaveTextContent("Orders");
  });
});
