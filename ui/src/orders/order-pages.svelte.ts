// The Orders list's rows, fetched a page at a time by offset as the dealer scrolls: the pages
// the view shows (plus one on each side) are asked for, answers for an older query are dropped,
// and a refresh re-reads only the pages around what is on screen, keeping the old rows shown
// until the new ones arrive.

import type { Commands, FlagCounts, OrderSummary, StatusCount } from "../bindings";
import { errorMessage } from "../lib/backend/errors";
import { listQuery, type OrderFilters } from "./query";

/** Rows per `list_orders` call. */
export const PAGE_SIZE = 100;

export class OrderPages {
  /** Orders matching the filters: the list's full length. */
  total = $state(0);
  counts: StatusCount[] = $state.raw([]);
  /** Orders per flag (Late, Stuck, Needs you) under the same filters. */
  flags: FlagCounts = $state.raw({ late: 0, stuck: 0, needs_you: 0 });
  /** An answer for the current filters has arrived, so `total` holds. */
  loaded = $state(false);
  error: string | null = $state(null);
  /** Bumped when any page arrives, so the view reads rows again. */
  #version = $state(0);

  readonly #commands: Commands;
  #filters: OrderFilters;
  #pages = new Map<number, OrderSummary[]>();
  #loading = new Set<number>();
  /** Bumped by a new query or a refresh, so a late answer cannot land in the wrong list. */
  #generation = 0;
  /** The pages the view last asked for. */
  #wanted: { first: number; last: number } = { first: 0, last: 0 };

  constructor(commands: Commands, filters: OrderFilters) {
    this.#commands = commands;
    this.#filters = filters;
  }

  /** The row at `index`, or undefined while its page is loading. */
  rowAt(index: number): OrderSummary | undefined {
    void this.#version;
    return this.#pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /** Every row that has been loaded (for "select all loaded"), in list order. */
  loadedRows(): OrderSummary[] {
    void this.#version;
    return [...this.#pages.entries()].sort(([a], [b]) => a - b).flatMap(([, rows]) => rows);
  }

  /** New filters: the list starts over. */
  setFilters(filters: OrderFilters): Promise<void> {
    this.#filters = filters;
    this.#generation += 1;
    this.#pages.clear();
    this.#loading.clear();
    this.loaded = false;
    this.error = null;
    this.#wanted = { first: 0, last: 0 };
    this.#version += 1;
    return this.#fetch(0);
  }

  /** Makes sure rows `first..last` are loaded or loading, with a page to spare on each side. */
  ensure(first: number, last: number): void {
    const firstPage = Math.max(0, Math.floor(first / PAGE_SIZE) - 1);
    const lastPage = Math.floor(Math.max(first, last) / PAGE_SIZE) + 1;
    this.#wanted = { first: firstPage, last: lastPage };
    const pageCount = Math.ceil(this.total / PAGE_SIZE);
    for (let page = firstPage; page <= Math.min(lastPage, pageCount - 1); page++) {
      if (!this.#pages.has(page) && !this.#loading.has(page)) this.#fetch(page);
    }
  }

  /**
   * Reads the list again (the backend reported a change): the first page, for the total and
   * counts, and the pages around the view; pages further away are forgotten.
   */
  refresh(): Promise<void> {
    this.#generation += 1;
    this.#loading.clear();
    this.error = null;
    const keep = new Set([0]);
    for (let page = this.#wanted.first; page <= this.#wanted.last; page++) keep.add(page);
    for (const page of [...this.#pages.keys()]) if (!keep.has(page)) this.#pages.delete(page);
    return Promise.all([...keep].map((page) => this.#fetch(page))).then(() => undefined);
  }

  async #fetch(page: number): Promise<void> {
    const generation = this.#generation;
    this.#loading.add(page);
    try {
      const answer = await this.#commands.listOrders(
        listQuery(this.#filters, page * PAGE_SIZE, PAGE_SIZE),
      );
      if (generation !== this.#generation) return;
      this.total = answer.total;
      this.counts = answer.counts;
      this.flags = answer.flags;
      this.loaded = true;
      if (answer.orders.length > 0) this.#pages.set(page, answer.orders);
      else this.#pages.delete(page);
      // Pages past a list that got shorter are gone.
      const pageCount = Math.ceil(answer.total / PAGE_SIZE);
      for (const known of [...this.#pages.keys()])
        if (known >= pageCount) this.#pages.delete(known);
      this.#version += 1;
    } catch (failure) {
      if (generation === this.#generation) this.error = errorMessage(failure);
    } finally {
      if (generation === this.#generation) this.#loading.delete(page);
    }
  }
}
