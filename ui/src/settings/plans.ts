// The dealer's plan sets how often Order Sync runs on its own (`dealer_core::scheduler::Plan`).

import type { Plan } from "../bindings";

const PLANS: Record<Plan, { label: string; interval: string; every: string }> = {
  basic: { label: "Basic", interval: "imports hourly", every: "every hour" },
  plus: { label: "Plus", interval: "every 15 minutes", every: "every 15 minutes" },
  vip: { label: "VIP", interval: "every 15 minutes", every: "every 15 minutes" },
};

export const PLAN_IDS = Object.keys(PLANS) as Plan[];

/** "Basic — imports hourly" */
export function planOption(plan: Plan): string {
  const copy = PLANS[plan];
  return copy ? `${copy.label} — ${copy.interval}` : plan;
}

/** "every hour" */
export function planInterval(plan: Plan): string {
  return PLANS[plan]?.every ?? "on the plan's schedule";
}
