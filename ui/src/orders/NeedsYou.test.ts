// Late, Stuck and Needs you: the flag chips beside the status chips, the sidebar's count, and
// the tray's "Needs attention (N)" that opens the list of those orders. The flags themselves are
// the engine's (proven by the Rust tests); here, that the window shows and asks for them.

import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { ListOrders, OrderPage } from "../bindings";
import { fixture } from "../test/fixture";
import { renderOrdersApp, renderReadyApp, type TestBackend } from "../test/render-app";

const FLAGS = { late: 3, stuck: 1, needs_you: 7 };

function withFlags(query: ListOrders): OrderPage {
  const page = query.flag ? fixture("ordersNeedsAttention") : fixture("orders");
  return { ...page, flags: FLAGS };
}

function listing({ commands }: TestBackend) {
  commands.listOrders.mockImplementation(async (query) => withFlags(query));
}

function lastQuery(backend: TestBackend): ListOrders {
  const calls = backend.commands.listOrders.mock.calls;
  return calls[calls.length - 1]?.[0] as ListOrders;
}

describe("Late, Stuck and Needs you", () => {
  it("counts each flag on its chip and filters by one", async () => {
    const { backend, user } = await renderOrdersApp(listing);
    await screen.findAllByTestId("order-row");

    const late = screen.getByTestId("flag-chip-late");
    expect(within(late).getByTestId("flag-count")).toHaveTextContent("3");
    expect(
      within(screen.getByTestId("flag-chip-stuck")).getByTestId("flag-count"),
    ).toHaveTextContent("1");
    expect(
      within(screen.getByTestId("flag-chip-needs_you")).getByTestId("flag-count"),
    ).toHaveTextContent("7");

    await user.click(late);
    await waitFor(() => expect(lastQuery(backend).flag).toBe("late"));
    expect(late).toHaveAttribute("aria-pressed", "true");
    // With a status too: the two narrow together.
    await user.click(screen.getByTestId("status-chip-processing"));
    await waitFor(() => expect(lastQuery(backend).status).toBe("processing"));
    expect(lastQuery(backend).flag).toBe("late");

    await user.click(late);
    await waitFor(() => expect(lastQuery(backend).flag).toBeUndefined());
    expect(late).toHaveAttribute("aria-pressed", "false");
  });

  it("shows the count in the sidebar, follows the backend's changes and opens the list", async () => {
    const { backend, user } = await renderReadyApp((b) => {
      listing(b);
      b.commands.needsYouCount.mockResolvedValue({ count: 4 });
    });
    const count = await screen.findByTestId("sidebar-needs-you-count");
    expect(count).toHaveTextContent("4");

    backend.emit("needs-you-changed", { count: 9 });
    await waitFor(() => expect(count).toHaveTextContent("9"));

    await user.click(screen.getByTestId("sidebar-needs-you"));
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Orders");
    await waitFor(() => expect(lastQuery(backend).flag).toBe("needs_you"));
    expect(screen.getByTestId("flag-chip-needs_you")).toHaveAttribute("aria-pressed", "true");
  });

  it("opens the list of orders that need the dealer when the tray asks", async () => {
    const { backend } = await renderReadyApp(listing);
    // The window opens on the onboarding guide or elsewhere; the tray's item takes it to Orders.
    backend.emit("open-orders", { flag: "needs_you" });
    await waitFor(() => expect(screen.getByTestId("page-title")).toHaveTextContent("Orders"));
    await waitFor(() => expect(lastQuery(backend).flag).toBe("needs_you"));
    expect(await screen.findByTestId("flag-chip-needs_you")).toHaveAttribute(
      "aria-pressed",
      "true",
    );
  });

  it("says on an order's page why it is late", async () => {
    const order = fixture("orderLate");
    const { user } = await renderOrdersApp(({ commands }) => {
      commands.listOrders.mockResolvedValue(fixture("orders"));
      commands.getOrder.mockResolvedValue(order);
    });
    const rows = await screen.findAllByTestId("order-row");
    await user.click(rows[0] as HTMLElement);
    const note = await screen.findByTestId("order-flag-late");
    expect(note).toHaveTextContent(
      "Late: authorized 10 business days ago, no tracking yet from US Direct — ask US Direct about their order",
    );
  });
});
