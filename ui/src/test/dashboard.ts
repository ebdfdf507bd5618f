// Hand-written Dashboards typed with the bindings, until the engine's aggregates land and a
// recorded fixture (`src-tauri/src/fixtures.rs`) replaces `sampleDashboard`.

import type { Dashboard, DashboardQuery } from "../bindings";

/** What the engine answers for a store with no orders: the shape, every figure empty. */
export function emptyDashboard(query: DashboardQuery): Dashboard {
  return {
    ...query,
    computed_at: "2026-11-20T15:00:00Z",
    channels: [],
    orders_per_day: [],
    funnel: [],
    lead_times: [],
    money: [],
    auto_authorize: { enabled: false, currency: "USD", daily_cap_minor: null, days: [] },
    needs_you: { needs_attention: 0, late: 0, stuck: 0, needs_you: 0 },
  };
}

/**
 * Two channels over 17–23 Nov 2026 (Tue 17 … Mon 23): 3 + 1 orders on the 17th, 2 on the 18th,
 * 5 on the 20th; Auto Authorize capped at $500.00 a day, $612.40 spent on the 20th.
 */
export function sampleDashboard(query: DashboardQuery): Dashboard {
  return {
    ...emptyDashboard(query),
    channels: [
      { id: 1, name: "Shopify Main" },
      { id: 2, name: "Woo Outlet" },
    ],
    orders_per_day: [
      { day: "2026-11-17", channel_id: 1, orders: 3 },
      { day: "2026-11-17", channel_id: 2, orders: 1 },
      { day: "2026-11-18", channel_id: 1, orders: 2 },
      { day: "2026-11-20", channel_id: 2, orders: 5 },
    ],
    funnel: [
      { status: "awaiting_authorization", count: 4 },
      { status: "shipped", count: 6 },
      { status: "needs_attention", count: 1 },
    ],
    lead_times: [
      {
        week: "2026-11-16",
        milestone: "authorized",
        orders: 9,
        median_seconds: 5400,
        p90_seconds: 30_600,
      },
      {
        week: "2026-11-16",
        milestone: "tracking",
        orders: 6,
        median_seconds: 180_000,
        p90_seconds: 302_400,
      },
    ],
    money: [
      {
        start: "2026-11-17",
        currency: "USD",
        orders: 4,
        invoiced_orders: 3,
        revenue_minor: 48_000,
        cost_minor: 30_250,
        margin_minor: 17_750,
      },
      {
        start: "2026-11-20",
        currency: "USD",
        orders: 5,
        invoiced_orders: 5,
        revenue_minor: 61_500,
        cost_minor: 41_000,
        margin_minor: 20_500,
      },
    ],
    auto_authorize: {
      enabled: true,
      currency: "USD",
      daily_cap_minor: 50_000,
      days: [
        { day: "2026-11-17", spent_minor: 30_250 },
        { day: "2026-11-20", spent_minor: 61_240 },
      ],
    },
    needs_you: { needs_attention: 1, late: 2, stuck: 0, needs_you: 3 },
  };
}
