import { screen, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it } from "vitest";
import { exportPrefs } from "../lib/export-prefs.svelte";
import { renderOrdersApp } from "../test/render-app";

describe("Orders page: Export CSV", () => {
  beforeEach(() => {
    localStorage.clear();
    exportPrefs.reload();
  });

  it("exports the list as filtered and says what was saved", async () => {
    const { backend, user } = await renderOrdersApp(({ commands }) => {
      commands.exportOrdersCsv.mockResolvedValue({
        rows: 1234,
        path: "/home/dee/Downloads/orders-2026-12-05.csv",
      });
    });
    await screen.findAllByTestId("order-row");
    await user.click(screen.getByTestId("status-chip-awaiting_authorization"));
    await user.type(screen.getByTestId("orders-search"), "Lamport");

    const toggle = screen.getByTestId("orders-export-toggle");
    await user.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    // Focus goes into the menu: the first choice is the list as filtered.
    const orders = screen.getByTestId("orders-export-orders");
    expect(orders).toHaveFocus();
    await waitFor(() =>
      expect(backend.commands.listOrders).toHaveBeenLastCalledWith(
        expect.objectContaining({ search: "Lamport" }),
      ),
    );
    await user.click(screen.getByTestId("orders-export-bom"));
    await user.click(orders);

    expect(backend.commands.exportOrdersCsv).toHaveBeenCalledWith(
      expect.objectContaining({ status: "awaiting_authorization", search: "Lamport" }),
      true,
    );
    expect(await screen.findByTestId("orders-export-saved")).toHaveTextContent(
      "Saved 1,234 orders to …/Downloads/orders-2026-12-05.csv",
    );
    // The menu closed, focus back on its button.
    expect(screen.queryByTestId("orders-export-panel")).toBeNull();
    expect(toggle).toHaveFocus();
  });

  it("closes with Escape; a cancelled dialog changes nothing", async () => {
    const { backend, user } = await renderOrdersApp(({ commands }) => {
      commands.exportOrdersCsv.mockResolvedValue(null);
    });
    await screen.findAllByTestId("order-row");
    await user.click(screen.getByTestId("orders-export-toggle"));
    await user.click(screen.getByTestId("orders-export-orders"));
    await waitFor(() => expect(backend.commands.exportOrdersCsv).toHaveBeenCalledTimes(1));
    expect(screen.getByTestId("orders-export-panel")).toBeInTheDocument();
    expect(screen.queryByTestId("orders-export-saved")).toBeNull();
    expect(screen.queryByTestId("orders-export-error")).toBeNull();

    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("orders-export-panel")).toBeNull();
    expect(screen.getByTestId("orders-export-toggle")).toHaveFocus();
  });

  it("closes when the dealer clicks outside it", async () => {
    const { user } = await renderOrdersApp();
    await screen.findAllByTestId("order-row");
    await user.click(screen.getByTestId("orders-export-toggle"));
    // Inside the menu: it stays open.
    await user.click(screen.getByTestId("orders-export-ship-from"));
    expect(screen.getByTestId("orders-export-panel")).toBeInTheDocument();

    await user.click(screen.getByTestId("orders-search"));
    expect(screen.queryByTestId("orders-export-panel")).toBeNull();
    expect(screen.getByTestId("orders-export-toggle")).toHaveAttribute("aria-expanded", "false");
    expect(screen.getByTestId("orders-search")).toHaveFocus();
  });

  it("exports the shipments of the days chosen, and asks for the days first", async () => {
    const { backend, user } = await renderOrdersApp(({ commands }) => {
      commands.exportShipmentsCsv.mockResolvedValue({ rows: 3, path: "/tmp/shipments.csv" });
    });
    await screen.findAllByTestId("order-row");
    await user.click(screen.getByTestId("orders-export-toggle"));

    await user.click(screen.getByTestId("orders-export-shipments"));
    expect(await screen.findByTestId("orders-export-error")).toHaveTextContent(
      "Not exported: choose the first and the last day of the shipments",
    );
    expect(backend.commands.exportShipmentsCsv).not.toHaveBeenCalled();

    await user.type(screen.getByTestId("orders-export-ship-from"), "2026-11-01");
    await user.type(screen.getByTestId("orders-export-ship-to"), "2026-11-30");
    await user.click(screen.getByTestId("orders-export-shipments"));
    // Tests run with TZ=UTC: the local days are UTC days.
    expect(backend.commands.exportShipmentsCsv).toHaveBeenCalledWith(
      "2026-11-01T00:00:00.000Z",
      "2026-12-01T00:00:00.000Z",
      false,
    );
    expect(await screen.findByTestId("orders-export-saved")).toHaveTextContent(
      "Saved 3 shipments to /tmp/shipments.csv",
    );
  });

  it("shows a failed export as an error", async () => {
    const { user } = await renderOrdersApp(({ commands }) => {
      commands.exportOrdersCsv.mockRejectedValue({
        code: "storage",
        message: "cannot write in /gone: check that the folder exists",
      });
    });
    await screen.findAllByTestId("order-row");
    await user.click(screen.getByTestId("orders-export-toggle"));
    await user.click(screen.getByTestId("orders-export-orders"));
    expect(await screen.findByTestId("orders-export-error")).toHaveTextContent(
      "Not exported: cannot write in /gone",
    );
  });
});
