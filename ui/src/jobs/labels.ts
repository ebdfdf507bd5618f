// Outbox jobs in words: what each does, where it is, and which actions apply to it now.

import type { Job, JobKind, JobState } from "../bindings";

const KINDS: Record<JobKind, string> = {
  create_supplier_order: "Send to US Direct",
  authorize_payment: "Authorize payment",
  cancel_supplier_order: "Cancel at US Direct",
  push_tracking: "Send tracking to your store",
  cancel_store_order: "Cancel in your store",
};

const STATES: Record<JobState, string> = {
  pending: "Waiting",
  running: "Running",
  succeeded: "Done",
  failed: "Failed",
  cancelled: "Cancelled",
};

export function jobKindLabel(kind: JobKind): string {
  return KINDS[kind] ?? kind;
}

/** A waiting job that has already been tried is retrying. */
export function jobStateLabel(job: Pick<Job, "state" | "attempts">): string {
  if (job.state === "pending" && job.attempts > 0) return "Retrying";
  return STATES[job.state] ?? job.state;
}

/** The job has not reached its end: it is waiting, running or failed. */
export function jobIsOpen(job: Pick<Job, "state">): boolean {
  return job.state === "pending" || job.state === "running" || job.state === "failed";
}

/** Why Retry does not apply now, or null when it does (failed: try again; waiting: run now). */
export function retryBlocked(job: Pick<Job, "state">): string | null {
  if (job.state === "running") return "Running now: wait until it is back";
  if (job.state === "pending" || job.state === "failed") return null;
  return `This job has ${job.state === "succeeded" ? "succeeded" : "been cancelled"}`;
}

/** Why Cancel does not apply now, or null when it does. */
export function cancelBlocked(job: Pick<Job, "state">): string | null {
  if (job.state === "running") return "Talking to US Direct right now: cancel it when it is back";
  if (job.state === "pending" || job.state === "failed") return null;
  return `This job has ${job.state === "succeeded" ? "succeeded" : "been cancelled"} already`;
}

/** What cancelling does to the order, for the confirm dialog. */
export function cancelConsequence(kind: JobKind): string {
  switch (kind) {
    case "create_supplier_order":
      return "The order is not sent to US Direct, and waits for you under Needs attention.";
    case "authorize_payment":
      return "The payment is not authorized, and the order waits for you under Needs attention.";
    case "cancel_supplier_order":
      return "US Direct is not asked to cancel its order; it may still ship.";
    case "push_tracking":
      return "The tracking number is not written to your store, so your customer does not see it there.";
    case "cancel_store_order":
      return "Your store is not told: the order stays open there until you cancel it in the store.";
  }
}
