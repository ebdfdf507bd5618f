import { screen, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { OrderDetail } from "../bindings";
import { fixture } from "../test/fixture";
import { renderOrdersApp, type TestBackend } from "../test/render-app";

async function openOrders(setup: (backend: TestBackend) => void) {
  const rendered = await renderOrdersApp(setup);
  await screen.findAllByTestId("order-row");
  return rendered;
}

async function openOrder(order: OrderDetail, setup: (backend: TestBackend) => void) {
  const rendered = await openOrders((backend) => {
    backend.commands.getOrder.mockResolvedValue(order);
    setup(backend);
  });
  const row = screen
    .getAllByTestId("order-row")
    .find(
      (candidate) => within(candidate).getByTestId("order-number").textContent === order.number,
    );
  await rendered.user.click(within(row as HTMLElement).getByTestId("order-customer"));
  await screen.findByTestId("order-page");
  return rendered;
}

describe("Why live orders wait for US Direct", () => {
  it("says how many live orders wait and opens Settings at the US Direct account", async () => {
    const { user } = await openOrders(({ commands }) => {
      commands.supplierConnection.mockResolvedValue(fixture("supplierLiveWaiting"));
    });
    const banner = await screen.findByTestId("supplier-wait-banner");
    expect(banner).toHaveTextContent(
      "2 live orders wait for US Direct: your US Direct account is not connected.",
    );

    await user.click(within(banner).getByRole("button", { name: "Connect US Direct" }));
    const section = await screen.findByTestId("supplier-section");
    await screen.findByTestId("supplier-status");
    expect(section).toHaveFocus();
    expect(screen.getByTestId("page-title")).toHaveTextContent("Settings");
  });

  it("names a refused token as the reason", async () => {
    await openOrders(({ commands }) => {
      commands.supplierConnection.mockResolvedValue(fixture("supplierTokenRefused"));
    });
    expect(await screen.findByTestId("supplier-wait-banner")).toHaveTextContent(
      "2 live orders wait for US Direct: US Direct refused the saved API token.",
    );
  });

  it("stays away in the Sandbox and once the account is connected", async () => {
    for (const name of ["supplierSandbox", "supplierConnected"] as const) {
      const { unmount, backend } = await openOrders(({ commands }) => {
        commands.supplierConnection.mockResolvedValue(fixture(name));
      });
      await expect.poll(() => backend.commands.supplierConnection.mock.calls.length).toBe(1);
      expect(screen.queryByTestId("supplier-wait-banner")).not.toBeInTheDocument();
      unmount();
    }
  });

  it("shows on an order's page only when that order is one of those waiting", async () => {
    const order = fixture("orderImported");
    const waiting = fixture("supplierLiveWaiting");
    waiting.waiting_live_order_ids = [order.id];
    await openOrder(order, ({ commands }) => {
      commands.supplierConnection.mockResolvedValue(waiting);
    });
    expect(
      await within(screen.getByTestId("order-page")).findByTestId("supplier-wait-banner"),
    ).toHaveTextContent(
      "This live order waits for US Direct: your US Direct account is not connected.",
    );
  });

  it("does not show on the page of an order that is not waiting", async () => {
    const order = fixture("orderImported");
    const waiting = fixture("supplierLiveWaiting");
    waiting.waiting_live_order_ids = [order.id + 1000];
    const { backend } = await openOrder(order, ({ commands }) => {
      commands.supplierConnection.mockResolvedValue(waiting);
    });
    await expect.poll(() => backend.commands.supplierConnection.mock.calls.length).toBe(2);
    expect(screen.queryByTestId("supplier-wait-banner")).not.toBeInTheDocument();
  });
});
