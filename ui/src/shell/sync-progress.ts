// How a running Order Sync reads in the top bar.

import type { SyncProgress } from "../bindings";

const count = new Intl.NumberFormat();

/** "Syncing Sandbox Store… page 3 · 250 orders" */
export function describeProgress(progress: SyncProgress): string {
  const orders = `${count.format(progress.orders)} ${progress.orders === 1 ? "order" : "orders"}`;
  const where = progress.channel ? `Syncing ${progress.channel}…` : "Syncing…";
  return `${where} page ${count.format(progress.pages)} · ${orders}`;
}
