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

/** Where the last page opened is remembered on this computer (the web view's localStorage). */
export const LAST_PAGE_KEY = "dealer-portal.last-page";

function isPage(value: unknown): value is Page {
  return PAGES.some((page) => page.id === value);
}

/** The page last opened in the window, or null (none yet, or storage that cannot be read). */
export function lastPage(storage: Storage | undefined = globalThis.localStorage): Page | null {
  try {
    const stored = storage?.getItem(LAST_PAGE_KEY);
    return isPage(stored) ? stored : null;
  } catch {
    return null;
  }
}

/** Remembers `page` as the one to open next time. */
export function rememberPage(
  page: Page,
  storage: Storage | undefined = globalThis.localStorage,
): void {
  try {
    storage?.setItem(LAST_PAGE_KEY, page);
  } catch {
    // Not remembered (storage refused): the next start opens the usual first page.
  }
}

/**
 * The page the window opens on: the onboarding guide until the backend says the live test order
 * passed its three checks; after that the page last opened (`last`), or the Dashboard.
 */
export function startPage(
  status: { onboarding_complete: boolean },
  last: Page | null = null,
): Page {
  if (!status.onboarding_complete) return "onboarding";
  return last ?? "dashboard";
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

/**
 * Ctrl+Q: quit Dealer Portal (closing the window leaves it in the tray). The letter typed
 * decides (on AZERTY, Q is where QWERTY has A); the physical key only when the layout types no
 * Latin letter (Cyrillic, Greek).
 */
export function isQuit(event: KeyboardEvent): boolean {
  if (!event.ctrlKey || event.altKey || event.metaKey || event.shiftKey) return false;
  const latin = /^[a-z]$/i.test(event.key);
  return latin ? event.key.toLowerCase() === "q" : event.code === "KeyQ";
}
