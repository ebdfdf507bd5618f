import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { OrderSummary } from "../bindings";
import { commandError } from "../lib/backend/errors";
import { seedOrders } from "../lib/backend/mock-data";
import { renderReadyApp } from "../test/render-app";

const ADA: OrderSummary = {
  id: 7,
  channel: "shopify",
  number: "1001",
  status: "awaiting_authorization",
  customer_name: "Ada Lovelace",
  total_minor: 19_633,
  currency: "USD",
  placed_at: "2025-11-27T14:05:00Z",
};

const YEN: OrderSummary = {
  ...ADA,
  id: 8,
  number: "1002",
  status: "needs_attention",
  customer_name: "Hiro Tanaka",
  total_minor: 1_500,
  currency: "JPY",
};

function cell(row: HTMLElement, testid: string) {
  return within(row).getByTestId(testid);
}

describe("Orders page", () => {
  it("shows each order with its money, status and local time formatted", async () => {
    await renderReadyApp({ orders: [ADA, YEN] });

    const rows = await screen.findAllByTestId("order-row");
    expect(rows).toHaveLength(2);
    const [ada, yen] = rows as [HTMLElement, HTMLElement];
    expect(cell(ada, "order-number")).toHaveTextContent("#1001");
    expect(cell(ada, "order-customer")).toHaveTextContent("Ada Lovelace");
    expect(cell(ada, "order-status")).toHaveTextContent("Awaiting authorization");
    expect(cell(ada, "order-total")).toHaveTextContent("$196.33");
    // Tests run with TZ=UTC and an en-US locale (vite.config.ts).
    expect(cell(ada, "order-placed")).toHaveTextContent("11/27/25, 2:05 PM");
    expect(cell(ada, "order-channel")).toHaveTextContent("Shopify");
    expect(cell(yen, "order-total")).toHaveTextContent("¥1,500");
    expect(cell(yen, "order-status")).toHaveTextContent("Needs attention");
    expect(screen.getByTestId("orders-count")).toHaveTextContent("Showing 2 orders");

    const headers = screen.getAllByRole("columnheader").map((th) => th.textContent?.trim());
    expect(headers).toEqual(["Number", "Customer", "Status", "Total", "Placed at", "Channel"]);
  });

  it("asks the backend for one status when filtered", async () => {
    const { backend, user } = await renderReadyApp({ orders: [ADA, YEN] });
    await screen.findAllByTestId("order-row");
    const listOrders = vi.spyOn(backend.commands, "listOrders");

    await user.selectOptions(screen.getByTestId("status-filter"), "Needs attention");

    expect(listOrders).toHaveBeenLastCalledWith({
      status: "needs_attention",
      limit: 200,
      offset: 0,
    });
    await waitFor(() => expect(screen.getAllByTestId("order-row")).toHaveLength(1));
    expect(screen.getByTestId("order-customer")).toHaveTextContent("Hiro Tanaka");

    await user.selectOptions(screen.getByTestId("status-filter"), "All");
    expect(listOrders).toHaveBeenLastCalledWith({ status: null, limit: 200, offset: 0 });
    await waitFor(() => expect(screen.getAllByTestId("order-row")).toHaveLength(2));
  });

  it("offers every status in the filter", async () => {
    await renderReadyApp({ orders: [] });

    const options = within(screen.getByTestId("status-filter"))
      .getAllByRole("option")
      .map((option) => option.textContent);
    expect(options).toEqual([
      "All",
      "Imported",
      "Awaiting authorization",
      "Authorized",
      "Processing",
      "Partially shipped",
      "Shipped",
      "Completed",
      "Needs attention",
      "Cancelled",
    ]);
  });

  it("loads 200 at a time and offers more only after a full page", async () => {
    const { backend, user } = await renderReadyApp({ orders: seedOrders(450) });

    expect(await screen.findAllByTestId("order-row")).toHaveLength(200);
    expect(screen.getByTestId("orders-count")).toHaveTextContent("Showing 200 orders");
    const listOrders = vi.spyOn(backend.commands, "listOrders");

    await user.click(screen.getByTestId("load-more"));
    expect(listOrders).toHaveBeenLastCalledWith({ status: null, limit: 200, offset: 200 });
    await waitFor(() => expect(screen.getAllByTestId("order-row")).toHaveLength(400));

    await user.click(screen.getByTestId("load-more"));
    await waitFor(() => expect(screen.getAllByTestId("order-row")).toHaveLength(450));
    expect(screen.getByTestId("orders-count")).toHaveTextContent("Showing 450 orders");
    expect(screen.queryByTestId("load-more")).not.toBeInTheDocument();
  });

  it("hides Load more when the first page is not full", async () => {
    await renderReadyApp({ orders: seedOrders(199) });

    expect(await screen.findAllByTestId("order-row")).toHaveLength(199);
    expect(screen.queryByTestId("load-more")).not.toBeInTheDocument();
  });

  it("says so when there are no orders yet", async () => {
    await renderReadyApp({ orders: [] });

    expect(await screen.findByTestId("orders-empty")).toHaveTextContent(
      "No orders yet. Orders from your store appear here after an Order Sync.",
    );
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
  });

  it("shows a load failure as an alert and can retry", async () => {
    const { backend, user } = await renderReadyApp({
      orders: [ADA],
      locked: null,
    });
    await screen.findAllByTestId("order-row");
    const listOrders = vi
      .spyOn(backend.commands, "listOrders")
      .mockRejectedValueOnce(commandError("storage", "The database is busy."));

    await user.selectOptions(screen.getByTestId("status-filter"), "Shipped");

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Orders could not be loaded: The database is busy.",
    );
    await user.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(screen.queryByRole("alert")).not.toBeInTheDocument());
    expect(listOrders).toHaveBeenCalledTimes(2);
    expect(await screen.findByTestId("orders-empty")).toHaveTextContent("Shipped");
  });

  it("reloads when the backend reports new activity", async () => {
    const { backend } = await renderReadyApp({ orders: [ADA] });
    await screen.findAllByTestId("order-row");
    const listOrders = vi.spyOn(backend.commands, "listOrders").mockResolvedValue([ADA, YEN]);

    backend.emit("activity-changed", { reason: "import" });

    await waitFor(() => expect(screen.getAllByTestId("order-row")).toHaveLength(2));
    expect(listOrders).toHaveBeenCalledWith({ status: null, limit: 200, offset: 0 });
  });
});
