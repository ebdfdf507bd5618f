// The three checks a dealer's test order has to pass before they start selling (DESIGN.md), in
// the order the backend reports them. The backend ticks them from the order's own events.

import type { OnboardingStep } from "../bindings";

export interface StepInfo {
  /** 1, 2, 3: the guide's numbering. */
  number: number;
  title: string;
}

export const STEPS: Readonly<Record<OnboardingStep, StepInfo>> = {
  imported: { number: 1, title: "Order imports from your sales channel" },
  routed_and_authorized: {
    number: 2,
    title: "Order is routed to US Direct and authorized for payment",
  },
  tracking_synced: { number: 3, title: "Tracking syncs back to your store" },
};

/** The title of a step the backend names; an unknown one is shown as sent. */
export function stepInfo(step: OnboardingStep, index: number): StepInfo {
  return STEPS[step] ?? { number: index + 1, title: step };
}

/** "#1001", " 1001 " → "1001": how a dealer may type an order number, for comparing. */
export function bareNumber(typed: string): string {
  return typed.trim().replace(/^#\s*/, "");
}

/** How often the open checklist asks again while it is not complete. */
export const ONBOARDING_POLL_MS = 5_000;
