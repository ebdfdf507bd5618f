import { describe, expect, it, vi } from "vitest";
import type { OrderPage } from "../bindings";
import { generatedPage } from "../test/fixture";
import { createTestBackend, deferred } from "../test/render-app";
import { OrderPages, PAGE_SIZE } from "./order-pages.svelte";
import { NO_FILTERS } from "./query";

/** A list of `count` orders, numbered down from #1000 + count, filtered by status if asked. */
function pagesWith(count: number) {
  const { commands } = createTestBackend();
  const listOrders = commands.listOrders.mockImplementation(async (query) =>
    generatedPage(count, query, query.status ?? undefined),
  );
  return { pages: new OrderPages(commands, NO_FILTERS), listOrders };
}

const offsets = (spy: ReturnType<typeof pagesWith>["listOrders"]) =>
  spy.mock.calls.map(([query]) => query.offset);

describe("OrderPages", () => {
  it("learns the total from the first page, then loads the pages in view and one on each side", async () => {
    const { pages, listOrders } = pagesWith(1_000);
    await pages.setFilters(NO_FILTERS);
    expect(pages.total).toBe(1_000);
    expect(pages.rowAt(0)?.number).toBe("#2000");
    expect(pages.rowAt(PAGE_SIZE)).toBeUndefined();

    listOrders.mockClear();
    pages.ensure(450, 470);
    await vi.waitFor(() => expect(pages.rowAt(550)).toBeDefined());

    expect(offsets(listOrders).sort((a, b) => a - b)).toEqual([300, 400, 500]);
    expect(pages.rowAt(450)?.number).toBe(`#${2000 - 450}`);
    // Pages already loaded or loading are not asked for again.
    listOrders.mockClear();
    pages.ensure(460, 480);
    expect(listOrders).not.toHaveBeenCalled();
  });

  it("drops an answer that arrives after the filters changed", async () => {
    const { pages, listOrders } = pagesWith(10);
    const late = deferred<OrderPage>();
    listOrders.mockReturnValueOnce(late.promise);

    const stale = pages.setFilters(NO_FILTERS);
    await pages.setFilters({ ...NO_FILTERS, status: "cancelled" });
    late.resolve(generatedPage(10, { offset: 0, limit: 100 }, "shipped"));
    await stale;

    expect(pages.loadedRows().every((order) => order.status === "cancelled")).toBe(true);
  });

  it("refreshes the first page and the pages around the view, forgetting the rest", async () => {
    const { pages, listOrders } = pagesWith(2_000);
    await pages.setFilters(NO_FILTERS);
    pages.ensure(1_500, 1_520);
    await vi.waitFor(() => expect(pages.rowAt(1_600)).toBeDefined());
    pages.ensure(900, 920);
    await vi.waitFor(() => expect(pages.rowAt(1_000)).toBeDefined());

    listOrders.mockClear();
    await pages.refresh();

    expect(offsets(listOrders).sort((a, b) => a - b)).toEqual([0, 800, 900, 1_000]);
    expect(pages.rowAt(1_500)).toBeUndefined();
    expect(pages.rowAt(950)).toBeDefined();
  });

  it("keeps an error for the view and clears it on the next refresh", async () => {
    const { pages, listOrders } = pagesWith(5);
    listOrders.mockRejectedValueOnce({ code: "storage", message: "The database is busy." });
    await pages.setFilters(NO_FILTERS);
    expect(pages.error).toBe("The database is busy.");
    expect(pages.loaded).toBe(false);

    await pages.refresh();
    expect(pages.error).toBeNull();
    expect(pages.total).toBe(5);
  });
});
