import { describe, expect, it, vi } from "vitest";
import { createMockBackend } from "../lib/backend/mock";
import { seedOrders } from "../lib/backend/mock-data";
import { OrderList } from "./order-list.svelte";

function listWith(count: number) {
  const { commands } = createMockBackend({ orders: seedOrders(count) });
  const listOrders = vi.spyOn(commands, "listOrders");
  return { list: new OrderList(commands), listOrders };
}

describe("OrderList", () => {
  it("keeps every loaded row on refresh, never asking for more than 1000 at once", async () => {
    const { list, listOrders } = listWith(1500);
    await list.refresh();
    for (let page = 0; page < 6; page++) await list.loadMore();
    expect(list.orders).toHaveLength(1400);

    listOrders.mockClear();
    await list.refresh();

    expect(list.orders).toHaveLength(1400);
    expect(list.hasMore).toBe(true);
    expect(listOrders.mock.calls.map(([query]) => [query.offset, query.limit])).toEqual([
      [0, 1000],
      [1000, 400],
    ]);
  });

  it("drops an answer that arrives after the filter changed", async () => {
    const { list, listOrders } = listWith(10);
    let release!: () => void;
    listOrders.mockImplementationOnce(
      () => new Promise((resolve) => (release = () => resolve(seedOrders(10)))),
    );

    const stale = list.refresh();
    await list.setStatus("cancelled");
    release();
    await stale;

    expect(list.status).toBe("cancelled");
    expect(list.orders.every((order) => order.status === "cancelled")).toBe(true);
  });
});
