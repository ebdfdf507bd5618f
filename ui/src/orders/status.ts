// How each order status reads and looks. The `Record` makes the compiler flag a status added on
// the Rust side until it gets a label here.

import type { OrderStatus } from "../bindings";

export type StatusTone = "neutral" | "waiting" | "active" | "success" | "danger" | "muted";

const STATUS: Record<OrderStatus, { label: string; tone: StatusTone }> = {
  imported: { label: "Imported", tone: "neutral" },
  awaiting_authorization: { label: "Awaiting authorization", tone: "waiting" },
  authorized: { label: "Authorized", tone: "active" },
  processing: { label: "Processing", tone: "active" },
  partially_shipped: { label: "Partially shipped", tone: "active" },
  shipped: { label: "Shipped", tone: "success" },
  completed: { label: "Completed", tone: "success" },
  needs_attention: { label: "Needs attention", tone: "danger" },
  cancelled: { label: "Cancelled", tone: "muted" },
  not_for_us_direct: { label: "Not for US Direct", tone: "muted" },
};

/** Every status, in lifecycle order. */
export const ORDER_STATUSES = Object.keys(STATUS) as OrderStatus[];

export function statusLabel(status: OrderStatus): string {
  return STATUS[status]?.label ?? status;
}

export function statusTone(status: OrderStatus): StatusTone {
  return STATUS[status]?.tone ?? "neutral";
}
