import "@testing-library/jest-dom/vitest";

// jsdom lays nothing out, so it has no ResizeObserver; `bind:clientWidth` needs one to exist.
// Nothing is ever resized here: a chart keeps its default width.
if (!("ResizeObserver" in globalThis)) {
  globalThis.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}
