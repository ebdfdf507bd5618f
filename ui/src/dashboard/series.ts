// Turns the engine's Dashboard into what the charts draw: one point per day (or week, or month)
// of the period, empty days included, so the bars keep their places on the time axis.

import type { Bucket, Dashboard, LeadTime, Milestone, MoneyBucket } from "../bindings";
import { MAX_PERIOD_DAYS } from "./period";

export interface ChartSeries {
  key: string;
  label: string;
  color: string;
  kind: "bar" | "line";
  dashed?: boolean;
}

export interface ChartPoint {
  key: string;
  /** On the axis: "Nov 3". */
  label: string;
  /** Read out and in the tooltip: "Mon, Nov 3, 2026". */
  long: string;
  values: Record<string, number | null>;
}

export const PALETTE = ["#2563eb", "#0d9488", "#d97706", "#7c3aed", "#db2777", "#65a30d"];

function utc(day: string): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}

function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

const SHORT = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  timeZone: "UTC",
});
const LONG = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  month: "short",
  day: "numeric",
  year: "numeric",
  timeZone: "UTC",
});
const MONTH = new Intl.DateTimeFormat(undefined, {
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

export function dayLabel(day: string): string {
  return SHORT.format(utc(day));
}

export function bucketLabels(start: string, bucket: Bucket): { label: string; long: string } {
  const date = utc(start);
  if (bucket === "month") return { label: MONTH.format(date), long: MONTH.format(date) };
  if (bucket === "week") {
    return { label: SHORT.format(date), long: `Week of ${LONG.format(date)}` };
  }
  return { label: SHORT.format(date), long: LONG.format(date) };
}

/** Every day from `from` to `to`, inclusive (at most `MAX_PERIOD_DAYS`). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const end = utc(to).getTime();
  for (let at = utc(from); at.getTime() <= end && days.length < MAX_PERIOD_DAYS; ) {
    days.push(iso(at));
    at = new Date(at.getTime() + 86_400_000);
  }
  return days;
}

/** The start of the bucket holding `day`: the day, its Monday, or the 1st of its month. */
export function bucketStart(day: string, bucket: Bucket): string {
  const date = utc(day);
  if (bucket === "day") return day;
  if (bucket === "month")
    return iso(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1)));
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  return iso(new Date(date.getTime() - sinceMonday * 86_400_000));
}

/** The bucket starts covering `from..=to`, in order. */
export function bucketsBetween(from: string, to: string, bucket: Bucket): string[] {
  const starts: string[] = [];
  for (const day of daysBetween(from, to)) {
    const start = bucketStart(day, bucket);
    if (starts[starts.length - 1] !== start) starts.push(start);
  }
  return starts;
}

export function channelSeries(dashboard: Dashboard): ChartSeries[] {
  return dashboard.channels.map((channel, index) => ({
    key: String(channel.id),
    label: channel.name,
    color: PALETTE[index % PALETTE.length] as string,
    kind: "bar",
  }));
}

/** Orders per day, one value per channel, every day of the period. */
export function ordersPerDay(dashboard: Dashboard): ChartPoint[] {
  const counts = new Map<string, number>();
  for (const row of dashboard.orders_per_day) {
    counts.set(`${row.day}|${row.channel_id}`, row.orders);
  }
  return daysBetween(dashboard.from, dashboard.to).map((day) => ({
    key: day,
    ...bucketLabels(day, "day"),
    values: Object.fromEntries(
      dashboard.channels.map((channel) => [
        String(channel.id),
        counts.get(`${day}|${channel.id}`) ?? 0,
      ]),
    ),
  }));
}

export function totalOrders(dashboard: Dashboard): number {
  return dashboard.orders_per_day.reduce((sum, row) => sum + row.orders, 0);
}

export const MILESTONES: { id: Milestone; label: string }[] = [
  { id: "authorized", label: "Authorized" },
  { id: "tracking", label: "Tracking" },
  { id: "completed", label: "Completed" },
];

/** Median and 90th percentile per week for one milestone, in seconds. */
export function leadTimePoints(dashboard: Dashboard, milestone: Milestone): ChartPoint[] {
  const byWeek = new Map<string, LeadTime>();
  for (const row of dashboard.lead_times) {
    if (row.milestone === milestone) byWeek.set(row.week, row);
  }
  return bucketsBetween(dashboard.from, dashboard.to, "week").map((week) => {
    const row = byWeek.get(week);
    return {
      key: week,
      ...bucketLabels(week, "week"),
      values: { median: row?.median_seconds ?? null, p90: row?.p90_seconds ?? null },
    };
  });
}

/** The currencies the money figures are in, the one with the most orders first. */
export function currencies(dashboard: Dashboard): string[] {
  const orders = new Map<string, number>();
  for (const row of dashboard.money) {
    orders.set(row.currency, (orders.get(row.currency) ?? 0) + row.orders);
  }
  return [...orders.entries()].sort((a, b) => b[1] - a[1]).map(([currency]) => currency);
}

export function moneyPoints(dashboard: Dashboard, currency: string): ChartPoint[] {
  const byStart = new Map<string, MoneyBucket>();
  for (const row of dashboard.money) {
    if (row.currency === currency) byStart.set(row.start, row);
  }
  return bucketsBetween(dashboard.from, dashboard.to, dashboard.bucket).map((start) => {
    const row = byStart.get(start);
    return {
      key: start,
      ...bucketLabels(start, dashboard.bucket),
      values: {
        revenue: row?.revenue_minor ?? 0,
        cost: row?.cost_minor ?? 0,
        margin: row?.margin_minor ?? 0,
      },
    };
  });
}

export interface MoneyTotals {
  currency: string;
  orders: number;
  /** Orders US Direct invoiced in their own currency: the ones cost and margin cover. */
  invoiced: number;
  revenue: number;
  cost: number;
  margin: number;
}

export function moneyTotals(dashboard: Dashboard): MoneyTotals[] {
  return currencies(dashboard).map((currency) => {
    const rows = dashboard.money.filter((row) => row.currency === currency);
    const sum = (pick: (row: MoneyBucket) => number) => rows.reduce((t, row) => t + pick(row), 0);
    return {
      currency,
      orders: sum((row) => row.orders),
      invoiced: sum((row) => row.invoiced_orders),
      revenue: sum((row) => row.revenue_minor),
      cost: sum((row) => row.cost_minor),
      margin: sum((row) => row.margin_minor),
    };
  });
}

export function spendPoints(dashboard: Dashboard): ChartPoint[] {
  const spent = new Map(dashboard.auto_authorize.days.map((row) => [row.day, row.spent_minor]));
  return daysBetween(dashboard.from, dashboard.to).map((day) => ({
    key: day,
    ...bucketLabels(day, "day"),
    values: { spent: spent.get(day) ?? 0 },
  }));
}

/** "45 min", "5.5 h", "3.2 days": a lead time in words a dealer reads at a glance. */
export function formatDuration(seconds: number): string {
  const minutes = seconds / 60;
  const hours = minutes / 60;
  if (hours < 1) return `${Math.max(1, Math.round(minutes))} min`;
  if (hours < 48) return `${hours < 10 ? hours.toFixed(1) : Math.round(hours)} h`;
  const days = hours / 24;
  return `${days < 10 ? days.toFixed(1) : Math.round(days)} days`;
}
