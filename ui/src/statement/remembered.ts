// The month the Statement page shows, kept while the window is open: back from an order opened
// on the statement, the dealer finds the month they were reading.

import { type Month, monthOf } from "./month";

let chosen: Month | null = null;

/** The month last shown, else the current one. */
export function rememberedMonth(now: Date = new Date()): Month {
  return chosen ?? monthOf(now);
}

export function rememberMonth(month: Month): void {
  chosen = month;
}

/** Back to the current month (a new window, or a test). */
export function forgetMonth(): void {
  chosen = null;
}
