import { describe, expect, it, vi } from "vitest";
import { FirstSettle } from "./first-settle";

/** Frames run only when the test says so. */
function frames() {
  const queued: (() => void)[] = [];
  return {
    frame: (callback: () => void) => queued.push(callback),
    run() {
      const now = queued.splice(0);
      for (const callback of now) callback();
    },
  };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the window's first settle", () => {
  it("is told once every answer is in and two frames were drawn with none asked for", async () => {
    const clock = frames();
    const settled = vi.fn();
    const settle = new FirstSettle(settled, clock.frame);
    const status = deferred<string>();
    settle.track(status.promise);
    status.resolve("ready");
    await tick();
    clock.run();
    // The status's render asks for the page's data before the paint.
    const page = deferred<string>();
    settle.track(page.promise);
    clock.run();
    expect(settled).not.toHaveBeenCalled();
    page.resolve("orders");
    await tick();
    clock.run();
    expect(settled).not.toHaveBeenCalled();
    clock.run();
    expect(settled).toHaveBeenCalledTimes(1);
  });

  it("counts a failed answer as in, passes it on unchanged, and is told only once", async () => {
    const clock = frames();
    const settled = vi.fn();
    const settle = new FirstSettle(settled, clock.frame);
    const failing = deferred<string>();
    const passed = settle.track(failing.promise);
    failing.reject(new Error("locked"));
    await expect(passed).rejects.toThrow("locked");
    clock.run();
    clock.run();
    expect(settled).toHaveBeenCalledTimes(1);
    await settle.track(Promise.resolve("later"));
    clock.run();
    clock.run();
    expect(settled).toHaveBeenCalledTimes(1);
  });
});
