import { describe, expect, it } from "vitest";
import {
  dateRangeProblem,
  endOfLocalDay,
  hasFilters,
  listQuery,
  NO_FILTERS,
  startOfLocalDay,
} from "./query";

// Tests run with TZ=UTC (vite.config.ts); the conversion goes through the local calendar, so a
// zone east or west of UTC shifts these instants by its offset, which is the point.
describe("order filters", () => {
  it("turns a local day into its local midnights, as UTC instants", () => {
    expect(startOfLocalDay("2025-11-27")).toBe("2025-11-27T00:00:00.000Z");
    expect(endOfLocalDay("2025-11-27")).toBe("2025-11-28T00:00:00.000Z");
    expect(endOfLocalDay("2025-12-31")).toBe("2026-01-01T00:00:00.000Z");
    expect(endOfLocalDay("2024-02-28")).toBe("2024-02-29T00:00:00.000Z");
  });

  it("ignores what is not a day", () => {
    expect(startOfLocalDay("")).toBeNull();
    expect(startOfLocalDay("2025-02-30")).toBeNull();
    expect(endOfLocalDay("27/11/2025")).toBeNull();
  });

  it("sends only the filters that are set", () => {
    expect(listQuery(NO_FILTERS, 200, 100)).toEqual({ status: null, limit: 100, offset: 200 });
    expect(
      listQuery(
        {
          status: "needs_attention",
          channelId: 2,
          environment: "live",
          placedFrom: "2025-11-01",
          placedTo: "2025-11-30",
          search: "ada 1001",
          flag: "late",
        },
        0,
        100,
      ),
    ).toEqual({
      status: "needs_attention",
      channel_id: 2,
      environment: "live",
      placed_from: "2025-11-01T00:00:00.000Z",
      placed_before: "2025-12-01T00:00:00.000Z",
      search: "ada 1001",
      flag: "late",
      limit: 100,
      offset: 0,
    });
  });

  it("says when the from day is after the to day, and what counts as filtered", () => {
    const range = { ...NO_FILTERS, placedFrom: "2025-11-28", placedTo: "2025-11-27" };
    expect(dateRangeProblem(range)).toBe("The “from” day is after the “to” day.");
    expect(dateRangeProblem({ ...range, placedTo: "2025-11-28" })).toBeNull();
    expect(hasFilters(NO_FILTERS)).toBe(false);
    expect(hasFilters(range)).toBe(true);
    expect(hasFilters({ ...NO_FILTERS, channelId: 1 })).toBe(true);
    expect(hasFilters({ ...NO_FILTERS, flag: "stuck" })).toBe(true);
    expect(hasFilters({ ...NO_FILTERS, environment: "sandbox" })).toBe(true);
  });
});
