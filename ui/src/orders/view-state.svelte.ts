// What the Orders list remembers while the dealer is on another page or an order: its filters,
// what is typed in the search box, the selection, where it was scrolled and which row had focus,
// and the rows already loaded (shown at once on return, then refreshed).

import { SvelteMap } from "svelte/reactivity";
import type { OrderSummary } from "../bindings";
import type { OrderPages } from "./order-pages.svelte";
import { NO_FILTERS, type OrderFilters } from "./query";

export class OrdersViewState {
  filters: OrderFilters = $state.raw(NO_FILTERS);
  /** The search box as typed; becomes `filters.search` after a short pause. */
  searchInput = $state("");
  /** Selected orders by id, with the row as it was when selected (for its status). */
  readonly selected = new SvelteMap<number, OrderSummary>();
  /** The row that holds the list's keyboard focus. */
  activeIndex = $state(0);
  scrollTop = 0;
  /** Back from an order: focus goes to the row that opened it. */
  restoreFocus = false;
  pages: OrderPages | null = null;

  /** New filters: the selection and the place in the list start over. */
  setFilters(filters: OrderFilters): void {
    this.filters = filters;
    this.selected.clear();
    this.activeIndex = 0;
    this.scrollTop = 0;
  }
}
