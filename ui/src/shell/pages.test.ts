import { describe, expect, it } from "vitest";
import { pageForShortcut, pagesFor, startPage } from "./pages";

const key = (init: KeyboardEventInit) => new KeyboardEvent("keydown", init);
const alt = (digit: number) => key({ altKey: true, code: `Digit${digit}`, key: String(digit) });

describe("page order", () => {
  it("puts the guide first in the Sandbox, the Dashboard after it", () => {
    expect(pagesFor("sandbox").map((page) => page.id)).toEqual([
      "onboarding",
      "dashboard",
      "orders",
      "statement",
      "settings",
      "activity",
    ]);
  });

  it("puts the Dashboard first once live, and the guide last", () => {
    expect(pagesFor("live").map((page) => page.id)).toEqual([
      "dashboard",
      "orders",
      "statement",
      "settings",
      "activity",
      "onboarding",
    ]);
  });
});

describe("page shortcuts", () => {
  it("maps Alt+1..6 to the pages in sidebar order", () => {
    expect([1, 2, 3, 4, 5, 6].map((digit) => pageForShortcut(alt(digit), "sandbox"))).toEqual([
      "onboarding",
      "dashboard",
      "orders",
      "statement",
      "settings",
      "activity",
    ]);
    expect([1, 2, 3, 4, 5, 6].map((digit) => pageForShortcut(alt(digit), "live"))).toEqual([
      "dashboard",
      "orders",
      "statement",
      "settings",
      "activity",
      "onboarding",
    ]);
  });

  it("reads the physical key, as macOS types ¡ for Alt+1", () => {
    expect(pageForShortcut(key({ altKey: true, code: "Digit1", key: "¡" }), "sandbox")).toBe(
      "onboarding",
    );
  });

  it("ignores other keys and modifier combinations", () => {
    expect(pageForShortcut(key({ code: "Digit1", key: "1" }), "sandbox")).toBeNull();
    expect(pageForShortcut(alt(7), "sandbox")).toBeNull();
    expect(
      pageForShortcut(key({ altKey: true, ctrlKey: true, code: "Digit1" }), "live"),
    ).toBeNull();
    expect(pageForShortcut(key({ altKey: true, code: "KeyA", key: "a" }), "live")).toBeNull();
  });
});

describe("start page", () => {
  it("is the onboarding guide until the backend says onboarding is complete, then the Dashboard", () => {
    expect(startPage({ onboarding_complete: false })).toBe("onboarding");
    expect(startPage({ onboarding_complete: true })).toBe("dashboard");
  });
});
