import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { Environment, ListOrders, OrderPage } from "../bindings";
import { fixture } from "../test/fixture";
import { renderOrdersApp, type TestBackend } from "../test/render-app";

// The recorded list is all Sandbox (the fixtures come from the sandbox store); a dealer who went
// live has both, so some rows are made Live here.
const LIVE_NUMBERS = ["#1019", "#1016"];

/** The recorded list with `LIVE_NUMBERS` live, narrowed as the engine would by environment. */
function mixedList(environment?: Environment): OrderPage {
  const page = fixture("orders");
  const orders = page.orders
    .map((order) => ({
      ...order,
      environment: (LIVE_NUMBERS.includes(order.number) ? "live" : "sandbox") as Environment,
    }))
    .filter((order) => environment === undefined || order.environment === environment);
  return { ...page, orders, total: orders.length };
}

function listing({ commands }: TestBackend) {
  commands.listOrders.mockImplementation(async (query: ListOrders) => mixedList(query.environment));
}

function rowOf(number: string): HTMLElement {
  const row = screen
    .getAllByTestId("order-row")
    .find((candidate) => within(candidate).getByTestId("order-number").textContent === number);
  if (!row) throw new Error(`no row for ${number}`);
  return row;
}

function environmentFilter() {
  return screen.getByRole("combobox", { name: /Environment/ });
}

describe("Orders page: Sandbox and Live", () => {
  it("tags each Sandbox order in its row, and no Live one", async () => {
    await renderOrdersApp(listing);
    const rows = await screen.findAllByTestId("order-row");
    expect(rows).toHaveLength(18);

    for (const number of LIVE_NUMBERS) {
      expect(within(rowOf(number)).queryByTestId("sandbox-tag")).not.toBeInTheDocument();
    }
    const sandbox = rowOf("#1015");
    const tag = within(sandbox).getByTestId("sandbox-tag");
    expect(tag).toHaveTextContent("Sandbox");
    expect(tag).toHaveAttribute("title", expect.stringContaining("no real money moves"));
    // The tag sits beside the number, which stays the number alone.
    expect(within(sandbox).getByTestId("order-number")).toHaveTextContent(/^#1015$/);
    expect(screen.getAllByTestId("sandbox-tag")).toHaveLength(16);
  });

  it("filters by environment through the engine, and All shows both again", async () => {
    const { backend, user } = await renderOrdersApp(listing);
    await screen.findAllByTestId("order-row");
    const listOrders = backend.commands.listOrders;
    const filter = environmentFilter();
    expect(
      within(filter)
        .getAllByRole("option")
        .map((o) => o.textContent),
    ).toEqual(["All", "Live", "Sandbox"]);
    expect(filter).toHaveValue("");

    await user.selectOptions(filter, "Live");
    expect(listOrders).toHaveBeenLastCalledWith({
      status: null,
      environment: "live",
      limit: 100,
      offset: 0,
    });
    await waitFor(() => expect(screen.getAllByTestId("order-row")).toHaveLength(2));
    expect(screen.queryByTestId("sandbox-tag")).not.toBeInTheDocument();
    expect(screen.getByTestId("orders-total")).toHaveTextContent("2 orders");

    await user.selectOptions(filter, "Sandbox");
    expect(listOrders).toHaveBeenLastCalledWith({
      status: null,
      environment: "sandbox",
      limit: 100,
      offset: 0,
    });
    await waitFor(() => expect(screen.getAllByTestId("order-row")).toHaveLength(16));

    await user.selectOptions(filter, "All");
    expect(listOrders).toHaveBeenLastCalledWith({ status: null, limit: 100, offset: 0 });
    await waitFor(() => expect(screen.getAllByTestId("order-row")).toHaveLength(18));
  });

  it("is reached with Tab after the channel filter", async () => {
    const { user } = await renderOrdersApp(listing);
    await screen.findAllByTestId("order-row");

    screen.getByTestId("orders-channel-filter").focus();
    await user.tab();
    expect(environmentFilter()).toHaveFocus();
    await user.tab();
    expect(screen.getByTestId("orders-date-from")).toHaveFocus();
  });

  it("counts as a filter: nothing Live yet says so, and Clear filters shows everything", async () => {
    const { backend, user } = await renderOrdersApp(({ commands }) => {
      commands.listOrders.mockImplementation(async (query: ListOrders) =>
        query.environment === "live" ? fixture("ordersEmpty") : fixture("orders"),
      );
    });
    await screen.findAllByTestId("order-row");

    await user.selectOptions(environmentFilter(), "Live");

    const empty = await screen.findByTestId("orders-empty");
    expect(empty).toHaveTextContent("No orders match");
    await user.click(within(empty).getByRole("button", { name: "Clear filters" }));
    expect(backend.commands.listOrders).toHaveBeenLastCalledWith({
      status: null,
      limit: 100,
      offset: 0,
    });
    expect(await screen.findAllByTestId("order-row")).toHaveLength(18);
    expect(environmentFilter()).toHaveValue("");
  });

  it("keeps the environment chosen while the dealer visits an order", async () => {
    const { backend, user } = await renderOrdersApp((backend) => {
      listing(backend);
      backend.commands.getOrder.mockResolvedValue(fixture("orderAwaitingAuthorization"));
    });
    await screen.findAllByTestId("order-row");
    await user.selectOptions(environmentFilter(), "Sandbox");
    await waitFor(() => expect(screen.getAllByTestId("order-row")).toHaveLength(16));

    await user.click(within(rowOf("#1015")).getByTestId("order-customer"));
    expect(await screen.findByTestId("order-page")).toBeVisible();
    await user.click(screen.getByTestId("order-back"));

    expect(environmentFilter()).toHaveValue("sandbox");
    await waitFor(() =>
      expect(backend.commands.listOrders).toHaveBeenLastCalledWith(
        expect.objectContaining({ environment: "sandbox" }),
      ),
    );
    expect(screen.getAllByTestId("order-row")).toHaveLength(16);
  });
});
