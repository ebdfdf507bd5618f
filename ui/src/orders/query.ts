// The Orders list's filters as the dealer sets them, and as `list_orders` takes them. Dates are
// the dealer's local days: a "from" day starts at its local midnight, a "to" day includes the
// whole day (up to the next local midnight), both sent as UTC instants.

import type { Environment, ListOrders, OrderFlag, OrderStatus } from "../bindings";

export interface OrderFilters {
  status: OrderStatus | null;
  channelId: number | null;
  /** Only Live or only Sandbox (rehearsal) orders; null for both. */
  environment: Environment | null;
  /** "YYYY-MM-DD" from a date input, or "". */
  placedFrom: string;
  placedTo: string;
  /** The search as applied (after the debounce), trimmed. */
  search: string;
  /** Only Late, Stuck, or every order that needs the dealer; null for all. */
  flag: OrderFlag | null;
}

export const NO_FILTERS: OrderFilters = {
  status: null,
  channelId: null,
  environment: null,
  placedFrom: "",
  placedTo: "",
  search: "",
  flag: null,
};

/** The list of the orders that need the dealer (the tray's and the sidebar's "Needs you"). */
export const NEEDS_YOU: OrderFilters = { ...NO_FILTERS, flag: "needs_you" };

function parseDay(day: string): { year: number; month: number; date: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const [year, month, date] = match.slice(1).map(Number) as [number, number, number];
  const check = new Date(year, month - 1, date);
  if (check.getFullYear() !== year || check.getMonth() !== month - 1 || check.getDate() !== date) {
    return null;
  }
  return { year, month, date };
}

/** Local midnight at the start of `day` ("2025-11-27") as a UTC ISO string; null if not a day. */
export function startOfLocalDay(day: string): string | null {
  const parsed = parseDay(day);
  if (!parsed) return null;
  return new Date(parsed.year, parsed.month - 1, parsed.date).toISOString();
}

/** Local midnight at the end of `day`, i.e. the start of the next day, as a UTC ISO string. */
export function endOfLocalDay(day: string): string | null {
  const parsed = parseDay(day);
  if (!parsed) return null;
  return new Date(parsed.year, parsed.month - 1, parsed.date + 1).toISOString();
}

/** Why the date range finds nothing, or null. */
export function dateRangeProblem(filters: OrderFilters): string | null {
  const from = startOfLocalDay(filters.placedFrom);
  const before = endOfLocalDay(filters.placedTo);
  if (from && before && Date.parse(from) >= Date.parse(before)) {
    return "The “from” day is after the “to” day.";
  }
  return null;
}

/** The `list_orders` query for one page: only the filters that are set are sent. */
export function listQuery(filters: OrderFilters, offset: number, limit: number): ListOrders {
  const query: ListOrders = { status: filters.status, limit, offset };
  if (filters.channelId !== null) query.channel_id = filters.channelId;
  if (filters.environment !== null) query.environment = filters.environment;
  const from = startOfLocalDay(filters.placedFrom);
  if (from) query.placed_from = from;
  const before = endOfLocalDay(filters.placedTo);
  if (before) query.placed_before = before;
  if (filters.search !== "") query.search = filters.search;
  if (filters.flag !== null) query.flag = filters.flag;
  return query;
}

/** Any filter besides status narrows the list. */
export function hasFilters(filters: OrderFilters): boolean {
  return (
    filters.status !== null ||
    filters.channelId !== null ||
    filters.environment !== null ||
    filters.placedFrom !== "" ||
    filters.placedTo !== "" ||
    filters.search !== "" ||
    filters.flag !== null
  );
}
