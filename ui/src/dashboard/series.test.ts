import { describe, expect, it } from "vitest";
import { emptyDashboard, sampleDashboard } from "../test/dashboard";
import { periodFor, periodProblem } from "./period";
import {
  bucketStart,
  bucketsBetween,
  daysBetween,
  formatDuration,
  leadTimePoints,
  moneyPoints,
  moneyTotals,
  ordersPerDay,
} from "./series";

const WEEK = {
  environment: "sandbox",
  from: "2026-11-17",
  to: "2026-11-23",
  bucket: "day",
} as const;

describe("periods", () => {
  it("counts today in Last 7 days and crosses the year for Last month in January", () => {
    const newYear = new Date(2027, 0, 3);
    expect(periodFor("last7", newYear)).toMatchObject({ from: "2026-12-28", to: "2027-01-03" });
    expect(periodFor("last_month", newYear)).toMatchObject({
      from: "2026-12-01",
      to: "2026-12-31",
    });
    expect(periodFor("this_month", newYear)).toMatchObject({
      from: "2027-01-01",
      to: "2027-01-03",
    });
  });

  it("keeps the days shown when switching to Custom", () => {
    const current = periodFor("last_month", new Date(2026, 10, 23));
    expect(periodFor("custom", new Date(2026, 10, 23), current)).toEqual({
      preset: "custom",
      from: "2026-10-01",
      to: "2026-10-31",
    });
  });

  it("says why a custom period cannot be shown", () => {
    expect(periodProblem("2026-11-02", "2026-11-01")).toMatch(/after the to day/);
    expect(periodProblem("", "2026-11-01")).toMatch(/both/);
    expect(periodProblem("2026-11-01", "2026-11-01")).toBeNull();
    expect(periodProblem("2024-11-01", "2026-11-01")).toBeNull();
    expect(periodProblem("2024-11-01", "2026-11-02")).toMatch(/at most two years/);
  });
});

describe("series", () => {
  it("gives every day of the period a point, empty days as zero", () => {
    const points = ordersPerDay(sampleDashboard(WEEK));
    expect(points.map((p) => p.key)).toEqual(daysBetween("2026-11-17", "2026-11-23"));
    expect(points[0]?.values).toEqual({ "1": 3, "2": 1 });
    expect(points[2]?.values).toEqual({ "1": 0, "2": 0 });
  });

  it("starts weeks on Monday and months on the 1st", () => {
    expect(bucketStart("2026-11-22", "week")).toBe("2026-11-16");
    expect(bucketStart("2026-11-23", "week")).toBe("2026-11-23");
    expect(bucketStart("2026-11-23", "month")).toBe("2026-11-01");
    expect(bucketsBetween("2026-10-30", "2026-12-02", "month")).toEqual([
      "2026-10-01",
      "2026-11-01",
      "2026-12-01",
    ]);
  });

  it("adds up money per currency to the cent, and leaves weeks without lead times empty", () => {
    const dashboard = sampleDashboard(WEEK);
    expect(moneyTotals(dashboard)).toEqual([
      {
        currency: "USD",
        orders: 9,
        invoiced: 8,
        revenue: 109_500,
        cost: 71_250,
        margin: 38_250,
      },
    ]);
    expect(moneyPoints(dashboard, "USD")[3]?.values).toEqual({
      revenue: 61_500,
      cost: 41_000,
      margin: 20_500,
    });
    expect(leadTimePoints(dashboard, "completed").map((p) => p.values)).toEqual([
      { median: null, p90: null },
      { median: null, p90: null },
    ]);
    expect(moneyTotals(emptyDashboard(WEEK))).toEqual([]);
  });

  it("reads lead times in minutes, hours or days", () => {
    expect(formatDuration(20 * 60)).toBe("20 min");
    expect(formatDuration(5400)).toBe("1.5 h");
    expect(formatDuration(30 * 3600)).toBe("30 h");
    expect(formatDuration(180_000)).toBe("2.1 days");
    expect(formatDuration(15 * 86_400)).toBe("15 days");
  });
});
