// State the whole ready window shares: which page is open (and which order, when one is open over
// it, or which section of it was asked for), the store's status (mode, plan...), whether scheduled syncing is paused, where a running
// Order Sync is, a counter that pages watch to reload when orders, activity or channels may have
// changed, and the Orders list's filters and place, kept while an order is open.

import { createContext } from "svelte";
import type { OrderFlag, SyncProgress } from "../bindings";
import type { ReadyStatus } from "../lib/app-status";
import { NO_FILTERS, type OrderFilters } from "../orders/query";
import { OrdersViewState } from "../orders/view-state.svelte";
import { DEFAULT_PAGE, type Page } from "./pages";

/** An order page, opened from a page that Back returns to. */
export interface OpenOrder {
  id: number;
  from: Page;
}

export class ShellState {
  page: Page = $state(DEFAULT_PAGE);
  /** The element id of the section `page` should bring into view, until the shell has. */
  section: string | null = $state(null);
  /** The order shown instead of `page`; the sidebar keeps `page` marked. */
  order: OpenOrder | null = $state.raw(null);
  /** The Orders list's filters, selection and scroll position, kept across pages. */
  readonly orders = new OrdersViewState();
  /** The latest ready status: the Sandbox label, Settings' store facts and plan read it. */
  status: ReadyStatus = $state.raw() as ReadyStatus;
  syncPaused: boolean = $state(false);
  /** Where the running Order Sync is (whoever started it), or null when none runs. */
  syncProgress: SyncProgress | null = $state.raw(null);
  /** Bumped after an Order Sync or an `activity-changed` event. */
  dataVersion: number = $state(0);
  /** Orders that need the dealer (needs attention, Late or Stuck), as the tray counts them. */
  needsYou: number | null = $state(null);
  /**
   * Bumped when that count changes once known: what the pages showing it reload on. Learning
   * it at start is no change (the pages asked for their data at the same time).
   */
  needsYouVersion: number = $state(0);
  /** Filters the Orders list should take when it next looks (the tray's "Needs attention"). */
  ordersAsked: OrderFilters | null = $state.raw(null);

  constructor(status: ReadyStatus, page: Page = DEFAULT_PAGE) {
    this.status = status;
    this.syncPaused = status.sync_paused;
    this.page = page;
  }

  /** Opens `page`, at the element with id `section` when one is given. */
  navigate(page: Page, section: string | null = null): void {
    this.page = page;
    this.order = null;
    this.section = section;
  }

  /** Opens the Orders list with only the orders that carry `flag`. */
  openOrdersFlagged(flag: OrderFlag): void {
    this.openOrdersFiltered({ flag });
  }

  /** Opens the Orders list with only `filters` set (the Dashboard's counts and funnel). */
  openOrdersFiltered(filters: Partial<OrderFilters>): void {
    this.ordersAsked = { ...NO_FILTERS, ...filters };
    this.navigate("orders");
  }

  /** Opens Settings at one of its sections (its element id). */
  openSettingsAt(section: string): void {
    this.navigate("settings", section);
  }

  /** Opens an order's page over the current page (or over `from`). */
  openOrder(id: number, from: Page = this.page): void {
    this.page = from;
    this.order = { id, from };
  }

  /** Back from an order to the page it was opened from. */
  closeOrder(): void {
    if (this.order?.from === "orders") this.orders.restoreFocus = true;
    this.order = null;
  }

  /** The count of orders that need the dealer, from the backend's event or first answer. */
  setNeedsYou(count: number): void {
    if (this.needsYou !== null && this.needsYou !== count) this.needsYouVersion += 1;
    this.needsYou = count;
  }

  dataChanged(): void {
    this.dataVersion += 1;
  }

  /** A fresh status from the backend. */
  applyStatus(status: ReadyStatus): void {
    this.status = status;
    this.syncPaused = status.sync_paused;
  }

  /** A `sync-progress` event: the last one of a pass says it is `finished`. */
  applyProgress(progress: SyncProgress): void {
    this.syncProgress = progress.finished ? null : progress;
  }

  /** The pass is over even if its `finished` event never came (it failed part way). */
  syncEnded(): void {
    this.syncProgress = null;
  }
}

const [getShellState, setShellState] = createContext<ShellState>();

export { getShellState, setShellState };
