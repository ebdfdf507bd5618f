// One line of plain English for each activity entry.

import type { ActivityEntry, Actor } from "../bindings";
import { orderNumber } from "../orders/display";
import { statusLabel } from "../orders/status";

const ACTORS: Record<Actor, string> = {
  dealer: "dealer",
  auto_rule: "auto-authorize rule",
  scheduler: "scheduler",
  system: "Dealer Portal",
};

type OrderEvent = Extract<ActivityEntry, { kind: "order_event" }>;
type SyncRun = Extract<ActivityEntry, { kind: "sync_run" }>;

/** "#1001 imported → awaiting authorization by dealer" */
export function describeOrderEvent(entry: OrderEvent): string {
  const to = statusLabel(entry.to).toLowerCase();
  const change = entry.from ? `${statusLabel(entry.from).toLowerCase()} → ${to}` : to;
  return `${orderNumber(entry.order_number)} ${change} by ${ACTORS[entry.actor] ?? entry.actor}`;
}

/** "Order Sync from tray: 2 imported, 1 updated" */
export function describeSyncRun(entry: SyncRun): string {
  const counts = [`${entry.imported} imported`];
  if (entry.updated > 0) counts.push(`${entry.updated} updated`);
  if (entry.quarantined > 0) counts.push(`${entry.quarantined} quarantined`);
  const running = entry.finished_at === null ? " (still running)" : "";
  return `Order Sync from ${entry.trigger}: ${counts.join(", ")}${running}`;
}

/** Newest first, whatever order the entries came in. */
export function newestFirst(entries: ActivityEntry[]): ActivityEntry[] {
  return [...entries].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}
