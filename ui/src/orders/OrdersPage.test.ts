import { fireEvent, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { ListOrders, OrderPage } from "../bindings";
import { fixture, generatedPage } from "../test/fixture";
import { deferred, renderOrdersApp, type TestBackend } from "../test/render-app";

function cell(row: HTMLElement, testid: string) {
  return within(row).getByTestId(testid);
}

function numbers() {
  return screen.getAllByTestId("order-number").map((n) => n.textContent?.trim());
}

function chip(status: string) {
  return screen.getByTestId(`status-chip-${status}`);
}

/** Answers `list_orders` with `answer(query)`, or the whole recorded list. */
function listing(answer: (query: ListOrders) => OrderPage | undefined) {
  return ({ commands }: TestBackend) => {
    commands.listOrders.mockImplementation(async (query) => answer(query) ?? fixture("orders"));
  };
}

describe("Orders page", () => {
  it("shows each order with its money, status and local time formatted", async () => {
    await renderOrdersApp(listing(() => fixture("ordersAwaitingAuthorization")));

    const rows = await screen.findAllByTestId("order-row");
    expect(rows).toHaveLength(6);
    const [yen, usd] = rows as [HTMLElement, HTMLElement];
    expect(cell(yen, "order-number")).toHaveTextContent("#1016");
    expect(cell(yen, "order-customer")).toHaveTextContent("Hiro Tanaka");
    expect(cell(yen, "order-status")).toHaveTextContent("Awaiting authorization");
    expect(cell(yen, "order-total")).toHaveTextContent("¥1,500");
    // Tests run with TZ=UTC and an en-US locale (vite.config.ts).
    expect(cell(yen, "order-placed")).toHaveTextContent("11/27/25, 9:02 AM");
    expect(cell(yen, "order-channel")).toHaveTextContent("Sandbox Store");
    expect(cell(usd, "order-customer")).toHaveTextContent("Leslie Lamport");
    expect(cell(usd, "order-total")).toHaveTextContent("$25.96");
    expect(screen.getByTestId("orders-total")).toHaveTextContent("6 orders");

    const headers = screen.getAllByRole("columnheader").map((th) => th.textContent?.trim());
    expect(headers).toEqual(["", "Number", "Customer", "Status", "Total", "Placed at", "Channel"]);
  });

  it("counts the orders of each status on its chip and filters by one", async () => {
    const { backend, user } = await renderOrdersApp(
      listing((query) =>
        query.status === "needs_attention" ? fixture("ordersNeedsAttention") : undefined,
      ),
    );
    await screen.findAllByTestId("order-row");

    expect(within(chip("all")).getByTestId("status-count")).toHaveTextContent("18");
    expect(within(chip("needs_attention")).getByTestId("status-count")).toHaveTextContent("5");
    expect(within(chip("awaiting_authorization")).getByTestId("status-count")).toHaveTextContent(
      "3",
    );
    expect(chip("all")).toHaveAttribute("aria-pressed", "true");

    await user.click(chip("needs_attention"));

    expect(backend.commands.listOrders).toHaveBeenLastCalledWith({
      status: "needs_attention",
      limit: 100,
      offset: 0,
    });
    await waitFor(() => expect(numbers()).toEqual(["#1017", "#1007", "#1006", "#1005", "#1003"]));
    expect(chip("needs_attention")).toHaveAttribute("aria-pressed", "true");
    expect(chip("all")).toHaveAttribute("aria-pressed", "false");
    expect(screen.getByTestId("orders-total")).toHaveTextContent("5 orders");
    // The other chips keep their counts: they are counted under the other filters.
    expect(within(chip("all")).getByTestId("status-count")).toHaveTextContent("18");

    await user.click(chip("needs_attention"));
    await waitFor(() => expect(screen.getByTestId("orders-total")).toHaveTextContent("18"));
  });

  it("renders only the rows in view, and loads pages by offset as the list scrolls", async () => {
    const slow = deferred<OrderPage>();
    const { backend } = await renderOrdersApp(
      listing((query) => (query.offset === 50_000 ? undefined : generatedPage(100_000, query))),
    );
    await screen.findAllByTestId("order-row");

    expect(screen.getByTestId("orders-total")).toHaveTextContent("100,000 orders");
    // 600px of list (jsdom has no layout) shows 15 rows; 8 more are rendered below.
    expect(screen.getAllByTestId("order-row")).toHaveLength(23);
    expect(numbers()[0]).toBe("#101000");
    const grid = screen.getByRole("grid");
    expect(grid).toHaveAttribute("aria-rowcount", "100001");

    const listOrders = backend.commands.listOrders;
    listOrders.mockClear();
    listOrders.mockImplementation((query) =>
      query.offset === 50_000 ? slow.promise : Promise.resolve(generatedPage(100_000, query)),
    );
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

    slow.resolve(generatedPage(100_000, { offset: 50_000, limit: 100 }));
    await waitFor(() => expect(screen.queryByTestId("order-row-skeleton")).not.toBeInTheDocument());
    const rows = screen.getAllByTestId("order-row");
    expect(rows).toHaveLength(31);
    expect(rows[8]).toHaveAttribute("aria-rowindex", String(50_000 + 2));
    expect(cell(rows[8] as HTMLElement, "order-number")).toHaveTextContent(`#${101_000 - 50_000}`);
  });

  it("searches once typing pauses, by what the backend searches", async () => {
    const { backend, user } = await renderOrdersApp(
      listing((query) => (query.search ? fixture("ordersSearchOwn201") : undefined)),
    );
    await screen.findAllByTestId("order-row");
    const listOrders = backend.commands.listOrders;

    await user.type(screen.getByTestId("orders-search"), "OWN-201");
    expect(listOrders.mock.calls.some(([query]) => query.search !== undefined)).toBe(false);

    await waitFor(() => expect(numbers()).toEqual(["#1004"]));
    const searches = listOrders.mock.calls.filter(([query]) => query.search !== undefined);
    expect(searches.map(([query]) => query.search)).toEqual(["OWN-201"]);
    expect(screen.getByTestId("orders-total")).toHaveTextContent("1 order");
  });

  it("filters by channel and by placed date, sent as local midnights in UTC", async () => {
    const { backend, user } = await renderOrdersApp((backend) => {
      listing((query) => (query.channel_id ? fixture("ordersEmpty") : undefined))(backend);
      backend.commands.listChannels.mockResolvedValue(fixture("channelsLive"));
    });
    await screen.findAllByTestId("order-row");
    const listOrders = backend.commands.listOrders;

    const channel = screen.getByTestId("orders-channel-filter");
    await waitFor(() => expect(within(channel).getAllByRole("option")).toHaveLength(3));
    await user.selectOptions(channel, "Main store");
    expect(listOrders).toHaveBeenLastCalledWith({
      status: null,
      channel_id: 2,
      limit: 100,
      offset: 0,
    });
    expect(await screen.findByTestId("orders-empty")).toHaveTextContent("No orders match");

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
    await waitFor(() => expect(numbers()[0]).toBe("#1019"));
  });

  it("says when nothing matches, and clears the filters", async () => {
    const { user } = await renderOrdersApp(
      listing((query) => (query.search ? fixture("ordersSearchNoMatch") : undefined)),
    );
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
    await renderOrdersApp(listing(() => fixture("ordersEmpty")));

    expect(await screen.findByTestId("orders-empty")).toHaveTextContent(
      "No orders yet. Orders from your store appear here after an Order Sync.",
    );
    expect(screen.queryByRole("grid")).not.toBeInTheDocument();
  });

  it("authorizes the selected orders awaiting authorization, after a confirm, and sums it up", async () => {
    const { backend, user } = await renderOrdersApp(
      listing(() => fixture("ordersBeforeBulkAuthorize")),
    );
    await screen.findAllByTestId("order-row");
    const bulk = screen.getByTestId("bulk-authorize");
    expect(bulk).toBeDisabled();
    expect(bulk).toHaveAttribute("title", "Select orders awaiting authorization to authorize them");

    const rows = screen.getAllByTestId("order-row") as HTMLElement[];
    // #1012 is processing; #1011 and #1010 await authorization.
    expect(rows.slice(5, 8).map((row) => cell(row, "order-number").textContent)).toEqual([
      "#1012",
      "#1011",
      "#1010",
    ]);
    for (const row of rows.slice(5, 8)) await user.click(cell(row, "order-select"));
    expect(screen.getByTestId("orders-selected-count")).toHaveTextContent("3 selected");
    expect(bulk).toBeEnabled();
    expect(bulk).toHaveTextContent("Authorize Order for Payment (2)");
    backend.commands.authorizeOrders.mockResolvedValue(fixture("authorizeBulk"));
    backend.commands.listOrders.mockResolvedValue(fixture("ordersAfterBulkAuthorize"));

    await user.click(bulk);
    const dialog = screen.getByTestId("bulk-authorize-dialog");
    expect(dialog).toHaveTextContent("Authorize 2 orders for payment?");
    expect(within(dialog).getByTestId("bulk-authorize-skipped")).toHaveTextContent(
      "1 selected order is not awaiting authorization",
    );
    await user.click(screen.getByTestId("bulk-authorize-confirm"));

    expect(backend.commands.authorizeOrders).toHaveBeenCalledWith([11, 10]);
    expect(await screen.findByTestId("bulk-authorize-summary")).toHaveTextContent(
      "2 orders authorized for payment.",
    );
    expect(screen.queryByTestId("bulk-authorize-dialog")).not.toBeInTheDocument();
    await waitFor(() =>
      expect(
        cell(screen.getAllByTestId("order-row")[6] as HTMLElement, "order-status"),
      ).toHaveTextContent("Authorized"),
    );
    expect(screen.getByTestId("orders-selected-count")).toHaveTextContent("No orders selected");
  });

  it("reports orders that could not be authorized by the backend's reasons", async () => {
    const { backend, user } = await renderOrdersApp(
      listing((query) =>
        query.status === "awaiting_authorization"
          ? fixture("ordersAwaitingAuthorization")
          : undefined,
      ),
    );
    await screen.findAllByTestId("order-row");
    backend.commands.authorizeOrders.mockResolvedValue(fixture("authorizeMixed"));

    await user.click(screen.getByTestId("status-chip-awaiting_authorization"));
    await waitFor(() => expect(numbers()).toHaveLength(6));
    await user.click(screen.getByTestId("orders-select-loaded"));
    await user.click(screen.getByTestId("bulk-authorize"));
    await user.click(screen.getByTestId("bulk-authorize-confirm"));

    expect(backend.commands.authorizeOrders).toHaveBeenCalledWith([16, 15, 11, 10, 4, 2]);
    const summary = await screen.findByTestId("bulk-authorize-summary");
    expect(summary).toHaveTextContent(
      "1 order authorized for payment, 1 already authorized, 1 could not be authorized.",
    );
    expect(summary).toHaveTextContent(
      "#1003: order #1003 needs attention; only an order awaiting authorization can be authorized",
    );
  });

  it("selects every loaded row at once", async () => {
    const { user } = await renderOrdersApp(listing((query) => generatedPage(150, query)));
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
    const { backend, user } = await renderOrdersApp((backend) => {
      listing((query) =>
        query.status === "needs_attention" ? fixture("ordersNeedsAttention") : undefined,
      )(backend);
      backend.commands.getOrder.mockResolvedValue(fixture("orderRefused"));
    });
    await user.click(chip("needs_attention"));
    await waitFor(() => expect(numbers()[0]).toBe("#1017"));

    const [, second, third] = screen.getAllByTestId("order-row") as HTMLElement[];
    second?.focus();
    await user.keyboard("{ArrowDown}");
    expect(third).toHaveFocus();
    await user.keyboard(" ");
    expect(cell(third as HTMLElement, "order-select")).toBeChecked();
    await user.keyboard("{Enter}");

    expect(await screen.findByTestId("order-page")).toBeVisible();
    expect(backend.commands.getOrder).toHaveBeenCalledWith(6);
    await waitFor(() => expect(screen.getByTestId("page-title")).toHaveTextContent("Order #1006"));
    expect(screen.getByTestId("nav-orders")).toHaveAttribute("aria-current", "page");

    await user.keyboard("{Escape}");
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Orders");
    // The list comes back as it was: the filter, the selection and the focused row.
    expect(chip("needs_attention")).toHaveAttribute("aria-pressed", "true");
    await waitFor(() => expect(screen.getAllByTestId("order-row")[2]).toHaveFocus());
    expect(screen.getByTestId("orders-selected-count")).toHaveTextContent("1 selected");
  });

  it("opens an order with a click, and goes back with the Back link", async () => {
    const { backend, user } = await renderOrdersApp(({ commands }) => {
      commands.getOrder.mockResolvedValue(fixture("orderCompleted"));
    });
    const rows = await screen.findAllByTestId("order-row");
    const first = rows.find((row) => cell(row, "order-number").textContent === "#1001");

    await user.click(cell(first as HTMLElement, "order-customer"));
    expect(await screen.findByTestId("order-page")).toBeVisible();
    expect(backend.commands.getOrder).toHaveBeenCalledWith(1);
    await user.click(screen.getByTestId("order-back"));

    expect(screen.getByTestId("page-title")).toHaveTextContent("Orders");
  });

  it("shows a load failure as an alert and can retry", async () => {
    const { backend, user } = await renderOrdersApp(
      listing((query) =>
        query.status === "needs_attention" ? fixture("ordersNeedsAttention") : undefined,
      ),
    );
    await screen.findAllByTestId("order-row");
    backend.commands.listOrders.mockRejectedValueOnce(fixture("errorDatabase"));

    await user.click(chip("needs_attention"));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Orders could not be loaded: The database failed: attempted to acquire a connection on a closed pool",
    );
    await user.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(screen.queryByRole("alert")).not.toBeInTheDocument());
    expect(await screen.findAllByTestId("order-row")).toHaveLength(5);
  });

  it("reloads when the backend reports new activity", async () => {
    const { backend } = await renderOrdersApp(listing(() => fixture("ordersBeforeBulkAuthorize")));
    await screen.findAllByTestId("order-row");
    expect(numbers()[0]).toBe("#1017");
    backend.commands.listOrders.mockClear();
    backend.commands.listOrders.mockResolvedValue(fixture("orders"));

    backend.emit("activity-changed", { reason: "order_sync" });

    await waitFor(() => expect(numbers()[0]).toBe("#1019"));
    expect(backend.commands.listOrders).toHaveBeenCalledWith({
      status: null,
      limit: 100,
      offset: 0,
    });
  });
});
