import { describe, expect, it } from "vitest";
import {
  isQuit,
  LAST_PAGE_KEY,
  lastPage,
  pageForShortcut,
  pagesFor,
  rememberPage,
  startPage,
} from "./pages";

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

  it("is the page last opened once onboarding is complete, and the guide until then", () => {
    expect(startPage({ onboarding_complete: true }, "statement")).toBe("statement");
    expect(startPage({ onboarding_complete: false }, "statement")).toBe("onboarding");
    expect(startPage({ onboarding_complete: true }, null)).toBe("dashboard");
  });
});

describe("last page", () => {
  it("remembers the page opened, and reads nothing it does not know as a page", () => {
    expect(lastPage()).toBeNull();
    rememberPage("settings");
    expect(localStorage.getItem(LAST_PAGE_KEY)).toBe("settings");
    expect(lastPage()).toBe("settings");
    localStorage.setItem(LAST_PAGE_KEY, "admin");
    expect(lastPage()).toBeNull();
  });

  it("is none when storage refuses, and remembering then is harmless", () => {
    const refusing = {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    } as unknown as Storage;
    expect(lastPage(refusing)).toBeNull();
    expect(() => rememberPage("orders", refusing)).not.toThrow();
  });
});

describe("quit shortcut", () => {
  it("is Ctrl+Q and nothing else", () => {
    expect(isQuit(key({ ctrlKey: true, code: "KeyQ", key: "q" }))).toBe(true);
    // An AZERTY keyboard's Q is where QWERTY's A is, and its A (Ctrl+A, select all) where Q is.
    expect(isQuit(key({ ctrlKey: true, code: "KeyA", key: "q" }))).toBe(true);
    expect(isQuit(key({ ctrlKey: true, code: "KeyQ", key: "a" }))).toBe(false);
    // A Cyrillic layout types й on that key.
    expect(isQuit(key({ ctrlKey: true, code: "KeyQ", key: "й" }))).toBe(true);
    expect(isQuit(key({ code: "KeyQ", key: "q" }))).toBe(false);
    expect(isQuit(key({ ctrlKey: true, shiftKey: true, code: "KeyQ", key: "Q" }))).toBe(false);
    expect(isQuit(key({ ctrlKey: true, code: "KeyW", key: "w" }))).toBe(false);
  });
});
