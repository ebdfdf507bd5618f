// The three checks a dealer's test order has to pass before they start selling (DESIGN.md).
// None is ticked yet: ticking follows the order's events once the backend reports them.

export interface OnboardingCheck {
  id: number;
  title: string;
  /** What to do when the order is stuck before this check. */
  whenStuck: string;
}

export const ONBOARDING_CHECKS: readonly OnboardingCheck[] = [
  {
    id: 1,
    title: "Order imports from your sales channel",
    whenStuck: "Check the store connection in Settings, then click Order Sync.",
  },
  {
    id: 2,
    title: "Order is routed to US Direct and authorized for payment",
    whenStuck: "Open the order and click Authorize Order for Payment.",
  },
  {
    id: 3,
    title: "Tracking syncs back to your store",
    whenStuck: "US Direct ships 2–4 business days after payment; check again after that.",
  },
];
