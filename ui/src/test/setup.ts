import "@testing-library/jest-dom/vitest";
import { beforeEach } from "vitest";

// jsdom lays nothing out, so it has no ResizeObserver; `bind:clientWidth` needs one to exist.
// Nothing is ever resized here: a chart keeps its default width.
if (!("ResizeObserver" in globalThis)) {
  globalThis.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}

// What the window remembers in localStorage (the last page, export choices) starts clean in each
// test, as on a new install.
beforeEach(() => {
  globalThis.localStorage?.clear();
});
