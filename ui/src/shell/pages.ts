// The pages of the window, in sidebar order; Alt+1..6 follow the same order. The order depends
// on the mode: in the Sandbox the onboarding guide comes first and the Dashboard (of the
// Sandbox's own orders) after it; once live the Dashboard leads and the guide, done, goes last.

import type { Mode } from "../bindings";

export const PAGES = [
  { id: "dashboard", title: "Dashboard" },
  { id: "onboarding", title: "Onboarding" },
  { id: "orders", title: "Orders" },
  { id: "settings", title: "Settings" },
  { id: "activity", title: "Activity" },
  { id: "statement", title: "Statement" },
] as const;

export type Page = (typeof PAGES)[number]["id"];
export type PageInfo = (typeof PAGES)[number];

const ORDER: Record<Mode, Page[]> = {
  sandbox: ["onboarding", "dashboard", "orders", "statement", "settings", "activity"],
  live: ["dashboard", "orders", "statement", "settings", "activity", "onboarding"],
};

/** The pages in the sidebar's order for `mode`. */
export function pagesFor(mode: Mode): PageInfo[] {
  return ORDER[mode].map((id) => PAGES.find((page) => page.id === id) as PageInfo);
}

export function pageTitle(page: Page): string {
  return PAGES.find((info) => info.id === page)?.title ?? page;
}

export const DEFAULT_PAGE: Page = "orders";

/**
 * The page the window opens on: the onboarding guide until the backend says the live test order
 * passed its three checks, then the Dashboard.
 */
export function startPage(status: { onboarding_complete: boolean }): Page {
  return status.onboarding_complete ? "dashboard" : "onboarding";
}

/**
 * The page an Alt+digit shortcut goes to in `mode`, or null. Uses `code` because on macOS Alt+1
 * types "¡" and `key` no longer says which digit was pressed.
 */
export function pageForShortcut(event: KeyboardEvent, mode: Mode): Page | null {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return null;
  const digit = /^Digit([1-9])$/.exec(event.code)?.[1] ?? /^[1-9]$/.exec(event.key)?.[0];
  if (digit === undefined) return null;
  return ORDER[mode][Number(digit) - 1] ?? null;
}
