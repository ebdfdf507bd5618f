// The pages of the window, in sidebar order; Alt+1..5 follow the same order.

export const PAGES = [
  { id: "onboarding", title: "Onboarding" },
  { id: "orders", title: "Orders" },
  { id: "settings", title: "Settings" },
  { id: "activity", title: "Activity" },
  { id: "statement", title: "Statement" },
] as const;

export type Page = (typeof PAGES)[number]["id"];

export const DEFAULT_PAGE: Page = "orders";

/**
 * The page the window opens on: the onboarding guide until the backend says the live test order
 * passed its three checks, then Orders.
 */
export function startPage(status: { onboarding_complete: boolean }): Page {
  return status.onboarding_complete ? DEFAULT_PAGE : "onboarding";
}

/**
 * The page an Alt+digit shortcut goes to, or null. Uses `code` because on macOS Alt+1 types "¡"
 * and `key` no longer says which digit was pressed.
 */
export function pageForShortcut(event: KeyboardEvent): Page | null {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return null;
  const digit = /^Digit([1-9])$/.exec(event.code)?.[1] ?? /^[1-9]$/.exec(event.key)?.[0];
  if (digit === undefined) return null;
  return PAGES[Number(digit) - 1]?.id ?? null;
}
