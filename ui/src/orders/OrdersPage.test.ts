import { fireEvent, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { OrderPage, OrderSummary } from "../bindings";
import { commandError } from "../lib/backend/errors";
import { liveChannel, sandboxChannel, seedOrders } from "../lib/backend/mock-data";
import { deferred, renderReadyApp } from "../test/render-app";

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

function numbers() {
  return screen.getAllByTestId("order-number").map((n) => n.textContent?.trim());
}

function chip(status: string) {
  return screen.getByTestId(`status-chip-${status}`);
}

function page(orders: OrderSummary[]): OrderPage {
  return { orders, total: orders.length, counts: [] };
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
    expect(screen.getByTestId("orders-total")).toHaveTextContent("2 orders");

    const headers = screen.getAllByRole("columnheader").map((th) => th.textContent?.trim());
    expect(headers).toEqual(["", "Number", "Customer", "Status", "Total", "Placed at", "Channel"]);
  });

  it("counts the orders of each status on its chip and filters by one", async () => {
    const { backend, user } = await renderReadyApp();
    await screen.findAllByTestId("order-row");
    const listOrders = vi.spyOn(backend.commands, "listOrders");

    expect(within(chip("all")).getByTestId("status-count")).toHaveTextContent("240");
    expect(within(chip("needs_attention")).getByTestId("status-count")).toHaveTextContent("14");
    expect(within(chip("awaiting_authorization")).getByTestId("status-count")).toHaveTextContent(
      "2",
    );
    expect(chip("all")).toHaveAttribute("aria-pressed", "true");

    await user.click(chip("awaiting_authorization"));

    expect(listOrders).toHaveBeenLastCalledWith({
      status: "awaiting_authorization",
      limit: 100,
      offset: 0,
    });
    await waitFor(() => expect(numbers()).toEqual(["#1239", "#1238"]));
    expect(chip("awaiting_authorization")).toHaveAttribute("aria-pressed", "true");
    expect(chip("all")).toHaveAttribute("aria-pressed", "false");
    expect(screen.getByTestId("orders-total")).toHaveTextContent("2 orders");
    // The other chips keep their counts: they are counted under the other filters.
    expect(within(chip("all")).getByTestId("status-count")).toHaveTextContent("240");

    await user.click(chip("awaiting_authorization"));
    await waitFor(() => expect(screen.getByTestId("orders-total")).toHaveTextContent("240"));
  });

  it("renders only the rows in view, and loads pages by offset as the list scrolls", async () => {
    const { backend } = await renderReadyApp({ orders: seedOrders(100_000) });
    await screen.findAllByTestId("order-row");

    expect(screen.getByTestId("orders-total")).toHaveTextContent("100,000 orders");
    // 600px of list (jsdom has no layout) shows 15 rows; 8 more are rendered below.
    expect(screen.getAllByTestId("order-row")).toHaveLength(23);
    expect(numbers()[0]).toBe("#101000");
    const grid = screen.getByRole("grid");
    expect(grid).toHaveAttribute("aria-rowcount", "100001");

    const original = backend.commands.listOrders;
    const slow = deferred<OrderPage>();
    const listOrders = vi
      .spyOn(backend.commands, "listOrders")
      .mockImplementation((query) => (query.offset === 50_000 ? slow.promise : original(query)));
    const viewport = screen.getByTestId("orders-viewport");
    viewport.scrollTop = 50_000 * 40;
    await fireEvent.scroll(viewport);

    // Rows 49,992 to 50,022 are rendered; while the page from 50,000 loads, its rows are
    // placeholders.
    await waitFor(() => expect(screen.queryAllByTestId("order-row")).toHaveLength(8));
    expect(screen.getAllByTestId("order-row-skeleton")).toHaveLength(23);
    const asked = listOrders.mock.calls.map(([query]) => query.offset).sort((a, b) => a - b);
    expect(asked).toEqual([49_800, 49_900, 50_000, 50_100]);
    expect(listOrders.mock.calls.every(([query]) => query.limit === 100)).toBe(true);

    const real = await original({ status: null, limit: 100, offset: 50_000 });
    slow.resolve(real);
    await waitFor(() => expect(screen.queryByTestId("order-row-skeleton")).not.toBeInTheDocument());
    const rows = screen.getAllByTestId("order-row");
    expect(rows).toHaveLength(31);
    expect(rows[8]).toHaveAttribute("aria-rowindex", String(50_000 + 2));
    expect(cell(rows[8] as HTMLElement, "order-number")).toHaveTextContent(`#${101_000 - 50_000}`);
  });

  it("searches once typing pauses, by what the backend searches", async () => {
    const { backend, user } = await renderReadyApp();
    await screen.findAllByTestId("order-row");
    const listOrders = vi.spyOn(backend.commands, "listOrders");

    await user.type(screen.getByTestId("orders-search"), "OWN-201");
    expect(listOrders.mock.calls.some(([query]) => query.search !== undefined)).toBe(false);

    await waitFor(() => expect(numbers()).toEqual(["#1201"]));
    const searches = listOrders.mock.calls.filter(([query]) => query.search !== undefined);
    expect(searches.map(([query]) => query.search)).toEqual(["OWN-201"]);
    expect(screen.getByTestId("orders-total")).toHaveTextContent("1 order");
  });

  it("filters by channel and by placed date, sent as local midnights in UTC", async () => {
    const orders = [{ ...ADA, id: 99, number: "9001", channel: "Main store" }, ...seedOrders(3)];
    const { backend, user } = await renderReadyApp({
      orders,
      channels: [sandboxChannel(), liveChannel()],
    });
    await screen.findAllByTestId("order-row");
    const listOrders = vi.spyOn(backend.commands, "listOrders");

    const channel = screen.getByTestId("orders-channel-filter");
    await waitFor(() => expect(within(channel).getAllByRole("option")).toHaveLength(3));
    await user.selectOptions(channel, "Main store");
    expect(listOrders).toHaveBeenLastCalledWith({
      status: null,
      channel_id: 2,
      limit: 100,
      offset: 0,
    });
    await waitFor(() => expect(numbers()).toEqual(["#9001"]));

    await user.selectOptions(channel, "All channels");
    await fireEvent.change(screen.getByTestId("orders-date-from"), {
      target: { value: "2025-11-27" },
    });
    await fireEvent.change(screen.getByTestId("orders-date-to"), {
      target: { value: "2025-11-27" },
    });
    expect(listOrders).toHaveBeenLastCalledWith({
      status: null,
      placed_from: "2025-11-27T00:00:00.000Z",
      placed_before: "2025-11-28T00:00:00.000Z",
      limit: 100,
      offset: 0,
    });
    await waitFor(() => expect(numbers()).toEqual(["#9001", "#1003", "#1002", "#1001"]));
  });

  it("says when nothing matches, and clears the filters", async () => {
    const { user } = await renderReadyApp();
    await screen.findAllByTestId("order-row");

    await user.type(screen.getByTestId("orders-search"), "nobody-at-all{Enter}");

    const empty = await screen.findByTestId("orders-empty");
    expect(empty).toHaveTextContent("No orders match —");
    expect(screen.queryByRole("grid")).not.toBeInTheDocument();
    await user.click(within(empty).getByRole("button", { name: "Clear filters" }));
    expect(await screen.findAllByTestId("order-row")).not.toHaveLength(0);
    expect(screen.getByTestId("orders-search")).toHaveValue("");
  });

  it("says so when there are no orders yet", async () => {
    await renderReadyApp({ orders: [] });

    expect(await screen.findByTestId("orders-empty")).toHaveTextContent(
      "No orders yet. Orders from your store appear here after an Order Sync.",
    );
    expect(screen.queryByRole("grid")).not.toBeInTheDocument();
  });

  it("authorizes the selected orders awaiting authorization, after a confirm, and sums it up", async () => {
    const { backend, user } = await renderReadyApp();
    await screen.findAllByTestId("order-row");
    const bulk = screen.getByTestId("bulk-authorize");
    expect(bulk).toBeDisabled();
    expect(bulk).toHaveAttribute("title", "Select orders awaiting authorization to authorize them");

    const rows = screen.getAllByTestId("order-row") as HTMLElement[];
    // #1239 and #1238 await authorization; #1237 is authorized already.
    for (const row of rows.slice(1, 4)) await user.click(cell(row, "order-select"));
    expect(screen.getByTestId("orders-selected-count")).toHaveTextContent("3 selected");
    expect(bulk).toBeEnabled();
    expect(bulk).toHaveTextContent("Authorize Order for Payment (2)");
    const authorize = vi.spyOn(backend.commands, "authorizeOrders");

    await user.click(bulk);
    const dialog = screen.getByTestId("bulk-authorize-dialog");
    expect(dialog).toHaveTextContent("Authorize 2 orders for payment?");
    expect(within(dialog).getByTestId("bulk-authorize-skipped")).toHaveTextContent(
      "1 selected order is not awaiting authorization",
    );
    await user.click(screen.getByTestId("bulk-authorize-confirm"));

    expect(authorize).toHaveBeenCalledWith([239, 238]);
    expect(await screen.findByTestId("bulk-authorize-summary")).toHaveTextContent(
      "2 orders authorized for payment.",
    );
    expect(screen.queryByTestId("bulk-authorize-dialog")).not.toBeInTheDocument();
    await waitFor(() =>
      expect(
        cell(screen.getAllByTestId("order-row")[1] as HTMLElement, "order-status"),
      ).toHaveTextContent("Authorized"),
    );
    expect(screen.getByTestId("orders-selected-count")).toHaveTextContent("No orders selected");
  });

  it("reports orders that could not be authorized by the backend's reasons", async () => {
    const { backend, user } = await renderReadyApp();
    await screen.findAllByTestId("order-row");
    vi.spyOn(backend.commands, "authorizeOrders").mockResolvedValue([
      {
        order_id: 239,
        number: "1239",
        result: "queued",
        message: "order 1239 authorized for payment",
      },
      {
        order_id: 238,
        number: "1238",
        result: "not_allowed",
        message: "order 1238 has no US Direct invoice yet",
      },
    ]);

    await user.click(screen.getByTestId("status-chip-awaiting_authorization"));
    await waitFor(() => expect(numbers()).toEqual(["#1239", "#1238"]));
    await user.click(screen.getByTestId("orders-select-loaded"));
    await user.click(screen.getByTestId("bulk-authorize"));
    await user.click(screen.getByTestId("bulk-authorize-confirm"));

    const summary = await screen.findByTestId("bulk-authorize-summary");
    expect(summary).toHaveTextContent("1 order authorized for payment, 1 could not be authorized.");
    expect(summary).toHaveTextContent("#1238: order 1238 has no US Direct invoice yet");
  });

  it("selects every loaded row at once", async () => {
    const { user } = await renderReadyApp({ orders: seedOrders(150) });
    await screen.findAllByTestId("order-row");

    await user.click(screen.getByTestId("orders-select-loaded"));

    // The first page and the one after it (prefetched) are loaded.
    expect(screen.getByTestId("orders-selected-count")).toHaveTextContent("150 selected");
    expect(
      screen.getAllByTestId("order-select").every((box) => (box as HTMLInputElement).checked),
    ).toBe(true);
    await user.click(screen.getByTestId("orders-select-loaded"));
    expect(screen.getByTestId("orders-selected-count")).toHaveTextContent("No orders selected");
  });

  it("moves between rows with the arrow keys and opens one with Enter; Escape comes back", async () => {
    const { user } = await renderReadyApp();
    await user.click(chip("needs_attention"));
    await waitFor(() => expect(numbers()[0]).toBe("#1235"));

    const [first, second] = screen.getAllByTestId("order-row") as HTMLElement[];
    first?.focus();
    await user.keyboard("{ArrowDown}");
    expect(second).toHaveFocus();
    await user.keyboard(" ");
    expect(cell(second as HTMLElement, "order-select")).toBeChecked();
    await user.keyboard("{Enter}");

    expect(await screen.findByTestId("order-page")).toBeVisible();
    expect(screen.getByTestId("page-title")).toHaveTextContent("Order #1218");
    expect(screen.getByTestId("nav-orders")).toHaveAttribute("aria-current", "page");

    await user.keyboard("{Escape}");
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Orders");
    // The list comes back as it was: the filter, the selection and the focused row.
    expect(chip("needs_attention")).toHaveAttribute("aria-pressed", "true");
    await waitFor(() => expect(screen.getAllByTestId("order-row")[1]).toHaveFocus());
    expect(screen.getByTestId("orders-selected-count")).toHaveTextContent("1 selected");
  });

  it("opens an order with a click, and goes back with the Back link", async () => {
    const { user } = await renderReadyApp();
    const rows = await screen.findAllByTestId("order-row");

    await user.click(cell(rows[0] as HTMLElement, "order-customer"));
    expect(await screen.findByTestId("order-page")).toBeVisible();
    await user.click(screen.getByTestId("order-back"));

    expect(screen.getByTestId("page-title")).toHaveTextContent("Orders");
  });

  it("shows a load failure as an alert and can retry", async () => {
    const { backend, user } = await renderReadyApp({ orders: [ADA] });
    await screen.findAllByTestId("order-row");
    const listOrders = vi
      .spyOn(backend.commands, "listOrders")
      .mockRejectedValueOnce(commandError("storage", "The database is busy."));

    await user.click(chip("shipped"));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Orders could not be loaded: The database is busy.",
    );
    await user.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(screen.queryByRole("alert")).not.toBeInTheDocument());
    expect(listOrders).toHaveBeenCalledTimes(2);
    expect(await screen.findByTestId("orders-empty")).toHaveTextContent("No orders match");
  });

  it("reloads when the backend reports new activity", async () => {
    const { backend } = await renderReadyApp({ orders: [ADA] });
    await screen.findAllByTestId("order-row");
    const listOrders = vi.spyOn(backend.commands, "listOrders").mockResolvedValue(page([ADA, YEN]));

    backend.emit("activity-changed", { reason: "import" });

    await waitFor(() => expect(screen.getAllByTestId("order-row")).toHaveLength(2));
    expect(listOrders).toHaveBeenCalledWith({ status: null, limit: 100, offset: 0 });
  });
});
