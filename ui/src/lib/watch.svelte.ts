// Runs `run` now and again each time `source` changes; nothing else `run` reads is tracked.
// Call it while a component initialises.

import { untrack } from "svelte";

export function watch<T>(source: () => T, run: (value: T) => void): void {
  $effect(() => {
    const value = source();
    untrack(() => run(value));
  });
}
