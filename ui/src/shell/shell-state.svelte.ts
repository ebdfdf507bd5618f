// State the whole ready window shares: which page is open, whether scheduled syncing is paused,
// and a counter that pages watch to reload when orders or activity may have changed.

import { createContext } from "svelte";
import { DEFAULT_PAGE, type Page } from "./pages";

export class ShellState {
  page: Page = $state(DEFAULT_PAGE);
  syncPaused: boolean = $state(false);
  /** Bumped after an Order Sync or an `activity-changed` event. */
  dataVersion: number = $state(0);

  constructor(syncPaused: boolean, page: Page = DEFAULT_PAGE) {
    this.syncPaused = syncPaused;
    this.page = page;
  }

  navigate(page: Page): void {
    this.page = page;
  }

  dataChanged(): void {
    this.dataVersion += 1;
  }
}

const [getShellState, setShellState] = createContext<ShellState>();

export { getShellState, setShellState };
