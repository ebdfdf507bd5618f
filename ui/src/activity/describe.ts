// One line of plain English for each activity entry.

import type { ActivityEntry, Actor } from "../bindings";
import { orderNumber } from "../orders/display";
import { statusLabel } from "../orders/status";

const ACTORS: Record<Actor, string> = {
  dealer: "dealer",
  auto_rule: "auto-authorize rule",
  scheduler: "scheduler",
  system: "Dealer Portal",
  supplier: "US Direct",
};

/** What started a sync run (`SyncTrigger` on the Rust side, sent as a plain string). */
const TRIGGERS: Record<string, string> = {
  window: "window",
  tray: "tray",
  schedule: "schedule",
  cli: "command line",
};

export type OrderEvent = Extract<ActivityEntry, { kind: "order_event" }>;
export type SyncRun = Extract<ActivityEntry, { kind: "sync_run" }>;
export type Quarantined = Extract<ActivityEntry, { kind: "quarantined" }>;
export type Incident = Extract<ActivityEntry, { kind: "incident" }>;

/** "#1001 imported → awaiting authorization by dealer"; a note: "#1001 (imported) by US Direct" */
export function describeOrderEvent(entry: OrderEvent): string {
  const to = statusLabel(entry.to).toLowerCase();
  const change =
    entry.from === entry.to
      ? `(${to})`
      : entry.from
        ? `${statusLabel(entry.from).toLowerCase()} → ${to}`
        : to;
  return `${orderNumber(entry.order_number)} ${change} by ${ACTORS[entry.actor] ?? entry.actor}`;
}

/** "Order Sync from tray · Sandbox Store: 3 new, 1 updated, 2 could not be read" */
export function describeSyncRun(entry: SyncRun): string {
  const source = `Order Sync from ${TRIGGERS[entry.trigger] ?? entry.trigger}`;
  const running = entry.finished_at === null ? " (still running)" : "";
  if (entry.channel === null) return `${source}: no sales channel was connected${running}`;
  const counts = [`${entry.imported} new`, `${entry.updated} updated`];
  if (entry.quarantined > 0) counts.push(`${entry.quarantined} could not be read`);
  return `${source} · ${entry.channel}: ${counts.join(", ")}${running}`;
}

/** "Order 5012 from Main store could not be read: total is not a number" */
export function describeQuarantined(entry: Quarantined): string {
  const order = entry.channel_order_id ?? "without an id";
  return `Order ${order} from ${entry.channel} could not be read: ${entry.reason}`;
}

/** Background work that went wrong outside any one order, in the engine's own sentence. */
export function describeIncident(entry: Incident): string {
  return entry.detail;
}

/** A quarantined order, a sync run that failed, or background work that stopped: something the
 * dealer should look at. */
export function isProblem(entry: ActivityEntry): boolean {
  return (
    entry.kind === "quarantined" ||
    entry.kind === "incident" ||
    (entry.kind === "sync_run" && entry.error !== null)
  );
}

/** "jobs" shows the outbox's jobs instead of entries. */
export type ActivityFilter = "all" | "sync" | "problems" | "orders" | "jobs";

export const ACTIVITY_FILTERS: { id: ActivityFilter; label: string; empty: string }[] = [
  { id: "all", label: "All", empty: "No activity yet." },
  { id: "sync", label: "Sync runs", empty: "No Order Sync runs in the latest activity." },
  { id: "problems", label: "Problems", empty: "No problems in the latest activity." },
  { id: "orders", label: "Order changes", empty: "No order changes in the latest activity." },
  { id: "jobs", label: "Jobs", empty: "No jobs yet. Calls to US Direct are listed here." },
];

export function matchesFilter(entry: ActivityEntry, filter: ActivityFilter): boolean {
  switch (filter) {
    case "sync":
      return entry.kind === "sync_run";
    case "problems":
      return isProblem(entry);
    case "orders":
      return entry.kind === "order_event";
    case "jobs":
      return false;
    default:
      return true;
  }
}

/** Newest first, whatever order the entries came in. */
export function newestFirst(entries: ActivityEntry[]): ActivityEntry[] {
  return [...entries].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}
