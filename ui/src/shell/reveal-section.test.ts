import { afterEach, describe, expect, it, vi } from "vitest";
import { REVEAL_WAIT_MS, revealSection } from "./reveal-section";

afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = "";
});

describe("revealSection", () => {
  it("focuses the section once the page has rendered it, without adding it to the Tab order", () => {
    vi.useFakeTimers();
    const done = vi.fn();
    revealSection("us-direct", done);
    expect(done).not.toHaveBeenCalled();

    const section = document.createElement("section");
    section.id = "us-direct";
    document.body.append(section);
    vi.advanceTimersByTime(100);

    expect(section).toHaveFocus();
    expect(section).toHaveAttribute("tabindex", "-1");
    expect(done).toHaveBeenCalledTimes(1);
  });

  it("gives up after a while when the page has no such section", () => {
    vi.useFakeTimers();
    const done = vi.fn();
    revealSection("missing", done);

    vi.advanceTimersByTime(REVEAL_WAIT_MS - 100);
    expect(done).not.toHaveBeenCalled();
    vi.advanceTimersByTime(200);
    expect(done).toHaveBeenCalledTimes(1);
  });

  it("stops looking when cancelled", () => {
    vi.useFakeTimers();
    const done = vi.fn();
    const stop = revealSection("later", done);
    stop();

    const section = document.createElement("section");
    section.id = "later";
    document.body.append(section);
    vi.advanceTimersByTime(REVEAL_WAIT_MS * 2);

    expect(done).not.toHaveBeenCalled();
    expect(section).not.toHaveFocus();
  });
});
