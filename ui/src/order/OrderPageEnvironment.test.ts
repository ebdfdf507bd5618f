import { screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { OrderDetail } from "../bindings";
import { fixture } from "../test/fixture";
import { renderReadyApp } from "../test/render-app";

const NOTICE =
  "Sandbox order — a rehearsal. It goes to the sandbox US Direct; no real money moves.";

/** Opens `order`'s page the way the tray does, and waits until it is shown. */
async function showOrder(order: OrderDetail) {
  const rendered = await renderReadyApp(({ commands }) => {
    commands.getOrder.mockResolvedValue(order);
  });
  rendered.backend.emit("open-order", { order_id: order.id });
  await waitFor(() =>
    expect(screen.getByTestId("page-title")).toHaveTextContent(`Order ${order.number}`),
  );
  return rendered;
}

describe("Order page: Sandbox and Live", () => {
  it("says a Sandbox order is a rehearsal, below its header", async () => {
    const order = fixture("orderShipped");
    expect(order.environment).toBe("sandbox");
    await showOrder(order);

    const notice = screen.getByTestId("order-sandbox-notice");
    expect(notice).toHaveTextContent(NOTICE);
    expect(notice).toBeVisible();
    // Near the header: before the order's sections.
    const items = screen.getByRole("heading", { name: "Items" });
    expect(notice.compareDocumentPosition(items) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it("shows no such notice on a Live order", async () => {
    // The recorded orders are all Sandbox; a Live one differs only in its environment.
    await showOrder({ ...fixture("orderShipped"), environment: "live" });

    expect(screen.getByTestId("order-ship-to")).toBeVisible();
    expect(screen.queryByTestId("order-sandbox-notice")).not.toBeInTheDocument();
    expect(screen.queryByText(/no real money moves/)).not.toBeInTheDocument();
  });
});
