// The Orders page's data: one status filter, pages of PAGE_SIZE, and a refresh that keeps as many
// rows as are already on screen.

import type { Commands, OrderStatus, OrderSummary } from "../bindings";
import { errorMessage } from "../lib/backend/errors";

export const PAGE_SIZE = 200;
/** The most rows `list_orders` returns for one call. */
export const MAX_LIMIT = 1000;

export class OrderList {
  orders: OrderSummary[] = $state.raw([]);
  status: OrderStatus | null = $state(null);
  loading = $state(false);
  loaded = $state(false);
  error: string | null = $state(null);
  /** True when the last page came back full, so there may be more. */
  hasMore = $state(false);

  readonly #commands: Commands;
  /** Bumped by every request that replaces the list, so a late answer cannot overwrite it. */
  #generation = 0;

  constructor(commands: Commands) {
    this.#commands = commands;
  }

  setStatus(status: OrderStatus | null): Promise<void> {
    this.status = status;
    this.orders = [];
    this.loaded = false;
    return this.#load([], PAGE_SIZE, ++this.#generation);
  }

  /** Reloads from the top, keeping at least as many rows as are shown now. */
  refresh(): Promise<void> {
    return this.#load([], Math.max(PAGE_SIZE, this.orders.length), ++this.#generation);
  }

  loadMore(): Promise<void> {
    if (this.loading || !this.hasMore) return Promise.resolve();
    return this.#load(this.orders, PAGE_SIZE, this.#generation);
  }

  /** Appends up to `count` rows after `kept`, in calls of at most MAX_LIMIT. */
  async #load(kept: OrderSummary[], count: number, generation: number): Promise<void> {
    const current = () => generation === this.#generation;
    this.loading = true;
    this.error = null;
    try {
      const rows = [...kept];
      let lastPageFull = true;
      const wanted = kept.length + count;
      while (lastPageFull && rows.length < wanted) {
        const limit = Math.min(MAX_LIMIT, wanted - rows.length);
        const query = { status: this.status, limit, offset: rows.length };
        const page = await this.#commands.listOrders(query);
        if (!current()) return;
        rows.push(...page);
        lastPageFull = page.length === limit;
      }
      this.orders = rows;
      this.hasMore = lastPageFull;
      this.loaded = true;
    } catch (error) {
      if (current()) this.error = errorMessage(error);
    } finally {
      if (current()) this.loading = false;
    }
  }
}
