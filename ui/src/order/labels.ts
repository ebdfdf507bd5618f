// The order page in words: who did something, where the payment is, what each routing problem
// means and which Resolve action fixes it.

import type { Actor, OrderEvent, PaymentStatus, RoutingProblem, StorePayment } from "../bindings";
import { statusLabel } from "../orders/status";

const ACTORS: Record<Actor, string> = {
  dealer: "You",
  auto_rule: "Auto Authorize",
  scheduler: "Sync",
  system: "System",
  supplier: "US Direct",
};

const PAYMENTS: Record<PaymentStatus, string> = {
  not_authorized: "Not authorized",
  authorized: "Authorized",
  paid: "Paid",
  declined: "Declined",
};

export function actorLabel(actor: Actor): string {
  return ACTORS[actor] ?? actor;
}

export function paymentLabel(status: PaymentStatus | null): string {
  return status ? (PAYMENTS[status] ?? status) : "Not known yet";
}

/** What the store said of its payment at the last sync, with the platform's own word. */
export function storePaymentLabel(payment: StorePayment): string {
  switch (payment.state) {
    case "paid":
      return "Paid";
    case "unpaid":
      return `Not paid yet (${payment.status})`;
    case "high_risk":
      return `High fraud risk (${payment.detail})`;
  }
}

/** A timeline entry's change: "Imported → Awaiting authorization"; a note keeps its status. */
export function describeChange(event: Pick<OrderEvent, "from" | "to">): string {
  if (event.from === null) return statusLabel(event.to);
  if (event.from === event.to) return `Note · ${statusLabel(event.to)}`;
  return `${statusLabel(event.from)} → ${statusLabel(event.to)}`;
}

/** Which Resolve action fixes a routing problem. */
export type ProblemAction = "edit_address" | "map_sku" | "release_hold";

export function problemAction(problem: RoutingProblem): ProblemAction {
  switch (problem.rule) {
    case "unmapped_sku":
      return "map_sku";
    case "overweight":
      return "release_hold";
    default:
      return "edit_address";
  }
}

/** A routing problem in a few words, for the list in the attention panel. */
export function problemTitle(problem: RoutingProblem): string {
  switch (problem.rule) {
    case "po_box":
      return "Ships to a PO box";
    case "outside_lower48":
      return `Ships outside the lower 48 states (${[problem.state_code, problem.country_code].filter(Boolean).join(", ")})`;
    case "military_address":
      return "Ships to a military (APO, FPO or DPO) address";
    case "missing_address_field":
      return `The address has no ${problem.field}`;
    case "missing_phone":
      return "No phone number for the delivery";
    case "overweight":
      return `Weighs ${(problem.grams / 453.592).toFixed(1)} lb, over US Direct's 30 lb limit`;
    case "unmapped_sku":
      return `SKU ${problem.sku} is not mapped to a US Direct item`;
  }
}

/** The backend's sentence, as a sentence: "order 1001 authorized" → "Order 1001 authorized." */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === "") return trimmed;
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
